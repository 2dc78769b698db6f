"""Reading the hazardous-chemicals catalogue (危险化学品目录) from the official spreadsheet (.xlsx) or a CSV.

The 2015 edition's table has the columns 序号 (entry number), 品名 (name), 别名 (aliases), CAS号 and 备注 (note;
剧毒 marks highly toxic chemicals). The header row is found by its column names (Chinese or the English
`entry_no, name_zh, aliases, cas, note`); rows above it (titles) are skipped. Problems are reported per row,
and nothing is imported while any remains.
"""

import csv
import hashlib
import io
import re
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.dangerous_goods.identifiers import cas_is_valid, match_key
from ftzsafety.dangerous_goods.services import CatalogueRow

HEADERS = {
    "entry_no": ("序号", "entry_no", "no"),
    "name_zh": ("品名", "名称", "name_zh", "name"),
    "aliases": ("别名", "aliases"),
    "cas": ("cas号", "cas", "cas no", "cas no."),
    "note": ("备注", "note"),
}
_SEPARATORS = re.compile(r"[;；]")
MAX_ROWS = 20_000
MAX_REPORTED = 50


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from_file(handle: IO[bytes], file_name: str) -> list[list[str]]:
    data = handle.read()
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # any unreadable workbook is the same problem for the person importing
            raise ValidationFailed.for_fields({"file": [_("The file is not a readable .xlsx workbook.")]}) from None
        sheet = workbook.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
        return rows
    if file_name.lower().endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text))]
    raise ValidationFailed.for_fields({"file": [_("Upload an .xlsx workbook or a .csv file.")]})


def _header_map(row: list[str]) -> dict[str, int]:
    keys = [match_key(c) for c in row]
    found = {}
    for field_name, names in HEADERS.items():
        for index, key in enumerate(keys):
            if key in {match_key(n) for n in names}:
                found[field_name] = index
                break
    return found


def read_catalogue(handle: IO[bytes], file_name: str) -> tuple[list[CatalogueRow], str]:
    """Rows of the catalogue and the file's SHA-256. Raises ValidationFailed listing problem rows."""
    raw = handle.read()
    digest = hashlib.sha256(raw).hexdigest()
    rows = _rows_from_file(io.BytesIO(raw), Path(file_name).name)
    header_index = next(
        (i for i, row in enumerate(rows[:30]) if {"entry_no", "name_zh"} <= set(_header_map(row))), None
    )
    if header_index is None:
        raise ValidationFailed.for_fields(
            {"file": [_("No header row with the columns 序号 and 品名 (or entry_no and name_zh) was found.")]}
        )
    columns = _header_map(rows[header_index])
    body = rows[header_index + 1 :]
    if len(body) > MAX_ROWS:
        raise ValidationFailed.for_fields({"file": [_("At most %(n)d rows.") % {"n": MAX_ROWS}]})
    out: list[CatalogueRow] = []
    errors: dict[str, list[str]] = {}

    def get(row: list[str], name: str) -> str:
        index = columns.get(name)
        return row[index] if index is not None and index < len(row) else ""

    for offset, row in enumerate(body, start=header_index + 2):
        if not any(row):
            continue
        number_text, name = get(row, "entry_no"), get(row, "name_zh")
        problems = []
        if not number_text.isdigit():
            problems.append(_("the entry number “%(value)s” is not a whole number") % {"value": number_text[:20]})
        if not name:
            problems.append(_("the name is empty"))
        cas_numbers = [c.strip() for c in _SEPARATORS.split(get(row, "cas")) if c.strip()]
        bad_cas = [c for c in cas_numbers if not cas_is_valid(c)]
        if bad_cas:
            problems.append(_("invalid CAS number(s): %(cas)s") % {"cas": ", ".join(bad_cas)[:80]})
        if problems:
            if len(errors) < MAX_REPORTED:
                errors[f"row {offset}"] = [
                    _("Row %(n)d: %(problems)s.") % {"n": offset, "problems": "; ".join(problems)}
                ]
            continue
        note = get(row, "note")
        out.append(
            CatalogueRow(
                entry_no=int(number_text),
                name_zh=name[:300],
                aliases=[a.strip() for a in _SEPARATORS.split(get(row, "aliases")) if a.strip()],
                cas_numbers=cas_numbers,
                is_highly_toxic="剧毒" in note,
                note=note,
            )
        )
    if errors:
        raise ValidationFailed.for_fields(errors)
    return out, digest
