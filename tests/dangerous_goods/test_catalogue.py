"""Importing the hazardous-chemicals catalogue (危险化学品目录) from a spreadsheet, and the load_reference command."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import PermissionDenied, ValidationFailed
from ftzsafety.dangerous_goods.catalogue_import import read_catalogue
from ftzsafety.dangerous_goods.models import HazardousChemical, ReferenceDataset
from ftzsafety.dangerous_goods.services import CatalogueRow, hazardous_chemical_catalogue_import

pytestmark = pytest.mark.django_db

ROWS = [
    ["危险化学品目录（2015版）"],
    [],
    ["序号", "品名", "别名", "CAS号", "备注"],
    [1, "阿片", "鸦片", "8008-60-4", ""],
    [1381, "氯", "液氯；氯气", "7782-50-5", "剧毒"],
    [2828, "氨", "液氨；氨气", "7664-41-7", ""],
]


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_reads_the_official_layout_from_xlsx():
    rows, digest = read_catalogue(io.BytesIO(_xlsx(ROWS)), "catalogue.xlsx")
    assert len(digest) == 64
    assert [(r.entry_no, r.name_zh) for r in rows] == [(1, "阿片"), (1381, "氯"), (2828, "氨")]
    chlorine = rows[1]
    assert chlorine.aliases == ["液氯", "氯气"]
    assert chlorine.cas_numbers == ["7782-50-5"]
    assert chlorine.is_highly_toxic


def test_reads_a_csv_with_english_headers():
    text = "entry_no,name_zh,aliases,cas,note\n5,氯,液氯,7782-50-5,剧毒\n"
    rows, _digest = read_catalogue(io.BytesIO(text.encode("utf-8")), "list.csv")
    assert rows[0].entry_no == 5


@pytest.mark.parametrize(
    ("rows", "field"),
    [
        ([["no header"], [1, "氯"]], "file"),
        ([["序号", "品名", "别名", "CAS号", "备注"], [1, "氯", "", "7782-50-4", ""]], "row 2"),
        ([["序号", "品名", "别名", "CAS号", "备注"], ["x", "氯", "", "", ""]], "row 2"),
        ([["序号", "品名", "别名", "CAS号", "备注"], [1, "", "", "", ""]], "row 2"),
    ],
)
def test_problem_rows_are_reported(rows, field):
    with pytest.raises(ValidationFailed) as failed:
        read_catalogue(io.BytesIO(_xlsx(rows)), "catalogue.xlsx")
    assert field in failed.value.fields


def test_a_file_that_is_not_a_spreadsheet_is_refused():
    with pytest.raises(ValidationFailed):
        read_catalogue(io.BytesIO(b"not a workbook"), "catalogue.xlsx")
    with pytest.raises(ValidationFailed):
        read_catalogue(io.BytesIO(b"x"), "catalogue.pdf")


def test_import_replaces_the_catalogue_and_is_audited(emergency_head):
    rows, _digest = read_catalogue(io.BytesIO(_xlsx(ROWS)), "catalogue.xlsx")
    assert hazardous_chemical_catalogue_import(actor=emergency_head, rows=rows, edition="2015", source="MEM") == 3
    assert hazardous_chemical_catalogue_import(actor=emergency_head, rows=rows[:1], edition="2015", source="MEM") == 1
    assert HazardousChemical.objects.count() == 1
    dataset = ReferenceDataset.objects.get(code="hazardous_chemicals")
    assert (dataset.edition, dataset.row_count, dataset.loaded_by) == ("2015", 1, "emergency_head")
    assert AuditRecord.objects.filter(action="dangerous_goods.hazardous_chemical_catalogue.import").count() == 2


def test_duplicate_entries_import_nothing(emergency_head):
    row = CatalogueRow(1, "氯", [], [], False, "")
    with pytest.raises(ValidationFailed):
        hazardous_chemical_catalogue_import(actor=emergency_head, rows=[row, row], edition="2015", source="")
    assert not HazardousChemical.objects.exists()


def test_only_reference_editors_import(emergency_officer):
    with pytest.raises(PermissionDenied):
        hazardous_chemical_catalogue_import(
            actor=emergency_officer, rows=[CatalogueRow(1, "氯", [], [], False, "")], edition="2015", source=""
        )
    assert not HazardousChemical.objects.exists()


def test_import_page(client, emergency_head, emergency_officer):
    client.force_login(emergency_officer)
    assert client.get("/dangerous-goods/catalogue/import/").status_code == 403
    client.force_login(emergency_head)
    upload = SimpleUploadedFile("catalogue.xlsx", _xlsx(ROWS))
    response = client.post("/dangerous-goods/catalogue/import/", {"file": upload, "edition": "2015版", "source": "x"})
    assert response.status_code == 302
    assert HazardousChemical.objects.count() == 3


def test_import_command(tmp_path):
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(_xlsx(ROWS))
    out = io.StringIO()
    call_command("import_chemical_catalogue", str(path), "--edition", "2015", stdout=out)
    assert "3 catalogue entries imported" in out.getvalue()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_xlsx([["序号", "品名"], ["x", "氯"]]))
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_chemical_catalogue", str(bad), "--edition", "2015")
    assert HazardousChemical.objects.count() == 3


def test_load_reference_command_is_idempotent_and_audited():
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert "unchanged" in out.getvalue()
    assert not AuditRecord.objects.filter(action="dangerous_goods.reference.load").exists()
    out = io.StringIO()
    call_command("load_reference", "--force", "--only", "lithium", stdout=out)
    assert "loaded" in out.getvalue()
    record = AuditRecord.objects.get(action="dangerous_goods.reference.load")
    assert set(record.detail["datasets"]) >= {"lithium"}
    with pytest.raises(CommandError, match="unknown dataset"):
        call_command("load_reference", "--only", "nope")
