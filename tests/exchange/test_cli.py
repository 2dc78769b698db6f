import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from ftzsafety.exchange.models import CustomsDeclaration, DangerousGoodsWaybill, ImportJob
from tests.exchange.conftest import waybill

HEADER = (
    "waybill_no,enterprise_code,enterprise_name,carrier,vehicle,un_number,quantity,unit,origin,destination,"
    "route,departs_on,arrives_on"
)


def _csv_row(row: dict) -> str:
    return ",".join(str(row.get(c, "")) for c in HEADER.split(","))


def test_csv_import_then_reimport(tmp_path, transport_officer, enterprise, capsys) -> None:
    rows = [waybill(enterprise, f"WB-{i}") for i in range(3)]
    rows[1]["enterprise_code"] = "91120116MA05ABCDE0"
    path = tmp_path / "waybills.csv"
    path.write_text("\n".join([HEADER, *map(_csv_row, rows)]) + "\n", encoding="utf-8")
    call_command("import_records", "dangerous-goods-waybills", str(path), "--user", "transport_officer")
    out = capsys.readouterr()
    assert "created 2, updated 0, unchanged 0, rejected 1" in out.out
    assert "row 3 enterprise_code" in out.out  # file line 3 (line 1 is the header)
    assert "3/3" in out.err  # the progress bar
    call_command("import_records", "dangerous-goods-waybills", str(path), "--user", "transport_officer")
    assert "created 0, updated 0, unchanged 2, rejected 1" in capsys.readouterr().out
    assert ImportJob.objects.get(pk=ImportJob.objects.latest("id").pk).source_name == "waybills.csv"


def test_dry_run_writes_no_rows(tmp_path, transport_officer, enterprise, capsys) -> None:
    path = tmp_path / "waybills.jsonl"
    path.write_text(json.dumps(waybill(enterprise)) + "\n", encoding="utf-8")
    call_command("import_records", "dangerous-goods-waybills", str(path), "--dry-run")
    assert "(dry run): created 1" in capsys.readouterr().out
    assert DangerousGoodsWaybill.objects.count() == 0


def test_xlsx_customs_with_goods_lines(tmp_path, customs_officer, enterprise, capsys) -> None:
    book = Workbook()
    sheet = book.active
    columns = ["declaration_no", "declared_on", "direction", "enterprise_code", "enterprise_name", "port", "country",
               "line_no", "hs_code", "goods_name", "un_number", "quantity", "unit"]  # fmt: skip
    sheet.append(columns)
    base = ["020220261000000001", "2026-11-02", "import", enterprise.uscc, enterprise.name_zh, "天津新港", "KR"]
    sheet.append([*base, 1, "29012200", "丙烯", "UN1077", 20000, "kg"])
    sheet.append([*base, 2, "39011000", "聚乙烯", None, 5, "吨"])
    path = tmp_path / "decl.xlsx"
    book.save(path)
    call_command("import_records", "customs-declarations", str(path), "--user", "customs_officer")
    assert "created 1" in capsys.readouterr().out
    assert CustomsDeclaration.objects.get().goods.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("w.csv", "waybill_no,colour\nWB-1,red\n", "Unknown: colour"),
        ("w.csv", HEADER.encode() + b"\nWB-1,\xff\xfe\n", "not UTF-8"),
        ("w.xlsx", b"not a zip file", "not an Excel"),
        ("w.jsonl", b'{"waybill_no": "WB-1"}\n{broken\n', "line 2"),
        ("w.txt", b"x", "unknown file type"),
    ],
)
def test_malformed_file_is_refused_and_nothing_written(tmp_path, transport_officer, name, content, message) -> None:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(CommandError, match=message):
        call_command("import_records", "dangerous-goods-waybills", str(path), "--user", "transport_officer")
    assert ImportJob.objects.count() == 0
    assert DangerousGoodsWaybill.objects.count() == 0


def test_user_required_for_a_real_import(tmp_path, enterprise) -> None:
    path = tmp_path / "w.jsonl"
    path.write_text(json.dumps(waybill(enterprise)) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--user"):
        call_command("import_records", "dangerous-goods-waybills", str(path))
