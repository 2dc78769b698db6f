"""Recognising the 16 sections of a safety data sheet in its text.

GB/T 16483-2008 §5 and the GHS (Rev. 10, Annex 4) fix the 16 sections and their order; real documents vary the
wording (化学品及其企业标识, 接触控制/个体防护) — REFERENCE.md "Safety data sheet": match by number AND meaning. A
heading counts when a line starts with the section number (“1”, “1.”, “第1部分”, “第一部分”, “Section 1”, “SECTION 1:”)
and the line (or the next one) carries one of the section's key words in Chinese or English.
"""

import io
import re

SECTION_TITLES: dict[int, tuple[str, str]] = {
    1: ("化学品及企业标识", "Identification"),
    2: ("危险性概述", "Hazard(s) identification"),
    3: ("成分/组成信息", "Composition/information on ingredients"),
    4: ("急救措施", "First-aid measures"),
    5: ("消防措施", "Fire-fighting measures"),
    6: ("泄漏应急处理", "Accidental release measures"),
    7: ("操作处置与储存", "Handling and storage"),
    8: ("接触控制和个体防护", "Exposure controls/personal protection"),
    9: ("理化特性", "Physical and chemical properties"),
    10: ("稳定性和反应性", "Stability and reactivity"),
    11: ("毒理学信息", "Toxicological information"),
    12: ("生态学信息", "Ecological information"),
    13: ("废弃处置", "Disposal considerations"),
    14: ("运输信息", "Transport information"),
    15: ("法规信息", "Regulatory information"),
    16: ("其他信息", "Other information"),
}

KEYWORDS: dict[int, tuple[str, ...]] = {
    1: ("标识", "identification", "产品名称", "product identifier"),
    2: ("危险性", "危害", "hazard"),
    3: ("成分", "组成", "composition", "ingredient"),
    4: ("急救", "first aid", "first-aid"),
    5: ("消防", "灭火", "fire-fighting", "fire fighting", "firefighting"),
    6: ("泄漏", "泄露", "accidental release", "spill"),
    7: ("操作", "储存", "贮存", "handling", "storage"),
    8: ("接触控制", "个体防护", "个人防护", "exposure control", "personal protection"),
    9: ("理化", "物理和化学", "physical and chemical", "physical & chemical"),
    10: ("稳定性", "反应性", "stability", "reactivity"),
    11: ("毒理", "toxicolog"),
    12: ("生态", "ecolog"),
    13: ("废弃", "处置", "disposal"),
    14: ("运输", "transport"),
    15: ("法规", "regulatory"),
    16: ("其他", "其它", "other information"),
}

_ZH_NUMBERS = {
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
    "十一": 11, "十二": 12, "十三": 13, "十四": 14, "十五": 15, "十六": 16,
}  # fmt: skip
_HEADING = re.compile(
    r"^\s*(?:第\s*(?P<zh>[0-9一二三四五六七八九十]{1,3})\s*部分|(?:section|SECTION|Section)\s*(?P<sec>\d{1,2})"
    r"|(?P<num>\d{1,2})(?![\d.]*\d)(?=\s|[.、:：)）\-—]|[^\x00-\x7f]))\s*[.、:：)）\-—]?\s*(?P<rest>.*)$"
)

MAX_PDF_PAGES = 60


def _number(match: re.Match) -> int | None:
    raw = match.group("zh") or match.group("sec") or match.group("num")
    if raw is None:
        return None
    value = int(raw) if raw.isdigit() else _ZH_NUMBERS.get(raw)
    return value if value and 1 <= value <= 16 else None


def recognise_sections(text: str) -> list[int]:
    """The section numbers (1–16) whose headings appear in `text`, sorted."""
    found: set[int] = set()
    lines = [line.strip() for line in (text or "").splitlines()]
    for index, line in enumerate(lines):
        match = _HEADING.match(line)
        if not match:
            continue
        number = _number(match)
        if number is None or number in found:
            continue
        rest = (match.group("rest") or "").casefold()
        following = lines[index + 1].casefold() if index + 1 < len(lines) else ""
        if any(word in rest for word in KEYWORDS[number]) or (
            not rest.strip() and any(word in following for word in KEYWORDS[number])
        ):
            found.add(number)
    return sorted(found)


def missing_sections(found: list[int]) -> list[int]:
    return [n for n in range(1, 17) if n not in set(found)]


def pdf_text(content: bytes) -> str:
    """The text of a PDF (pypdf), page by page; scanned pages without a text layer give nothing."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        pages = reader.pages[:MAX_PDF_PAGES]
        return "\n".join((page.extract_text() or "") for page in pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return ""
