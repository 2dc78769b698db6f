from ftzsafety.filings import sds
from tests.filings.conftest import sds_text


def test_all_sixteen_sections_are_recognised_in_chinese_and_english_headings():
    assert sds.recognise_sections(sds_text("UN1203", "汽油")) == list(range(1, 17))


def test_a_missing_section_is_reported_by_number():
    found = sds.recognise_sections(sds_text("UN1203", "汽油", skip=(8, 14)))
    assert sds.missing_sections(found) == [8, 14]


def test_headings_vary_in_wording_and_numbering():
    text = "\n".join(
        [
            "1. 化学品及其企业标识",
            "2 危险性概述",
            "SECTION 3: Composition/information on ingredients",
            "第四部分",
            "急救措施",
            "5、消防措施",
            "6 泄露应急处理",
            "7 操作处置与储存",
            "8 接触控制/个体防护",
            "9 理化特性",
            "10 稳定性和反应性",
            "11 毒理学信息",
            "12 生态学信息",
            "13 废弃处置",
            "14 运输信息",
            "15 法规信息",
            "16 其它信息",
        ]
    )
    assert sds.recognise_sections(text) == list(range(1, 17))


def test_a_number_without_the_section_meaning_does_not_count():
    # “1.2 kg” and “14 days” are not headings; sub-sections (8.1) are not section headings either.
    text = "1.2 kg 样品\n14 days storage\n8.1 职业接触限值\n3 桶"
    assert sds.recognise_sections(text) == []


def test_pdf_text_is_extracted_with_pypdf():
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert sds.pdf_text(buffer.getvalue()) == ""
    assert sds.pdf_text(b"%PDF-1.4 broken") == ""
