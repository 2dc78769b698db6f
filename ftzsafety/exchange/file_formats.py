"""Reading CSV, JSONL and XLSX files into `(row number, values)` for the import service. A malformed file
(wrong columns, bad encoding, not the declared type) raises FileRefused naming what and where; nothing is read
half-way, because the whole file is parsed before the import starts."""

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ftzsafety.exchange.datasets import DatasetSpec


class FileRefused(Exception):
    pass


def _check_columns(spec: DatasetSpec, columns: list[str], where: str) -> None:
    known = set(spec.column_names())
    unknown = [c for c in columns if c not in known]
    required = [f.name for f in spec.fields if f.required]
    if spec.child:
        required += [f.name for f in spec.child.fields if f.required]
    missing = [c for c in required if c not in columns]
    if unknown or missing:
        raise FileRefused(
            _("%(where)s: the columns do not match the dataset “%(dataset)s”. Unknown: %(unknown)s. Missing: "
              "%(missing)s. Expected columns: %(expected)s.")
            % {"where": where, "dataset": spec.slug, "unknown": ", ".join(unknown) or "—",
               "missing": ", ".join(missing) or "—", "expected": ", ".join(spec.column_names())}
        )  # fmt: skip


def _group_children(spec: DatasetSpec, rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """Flat files carry one line per row: rows sharing a parent's natural key become one parent with lines."""
    if not spec.child:
        return rows
    child_names = [f.name for f in spec.child.fields]
    grouped: dict[tuple, tuple[int, dict[str, Any]]] = {}
    for number, row in rows:
        key = tuple(row.get(n) for n in spec.natural_key)
        line = {n: row.pop(n) for n in child_names if n in row}
        if key not in grouped:
            row[spec.child.name] = []
            grouped[key] = (number, row)
        grouped[key][1][spec.child.name].append(line)
    return list(grouped.values())


def read_rows(spec: DatasetSpec, path: Path) -> list[tuple[int, dict[str, Any]]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _group_children(spec, _read_csv(spec, path))
    if suffix in (".jsonl", ".ndjson"):
        return _read_jsonl(path)
    if suffix == ".xlsx":
        return _group_children(spec, _read_xlsx(spec, path))
    raise FileRefused(_("%(file)s: unknown file type; use .csv, .jsonl or .xlsx.") % {"file": path.name})


def _read_csv(spec: DatasetSpec, path: Path) -> list[tuple[int, dict[str, Any]]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data[: problem.start].count(b"\n") + 1
        raise FileRefused(
            _("%(file)s line %(line)d: not UTF-8 text (byte %(byte)d). Save the file as UTF-8 CSV.")
            % {"file": path.name, "line": line, "byte": problem.start}
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    _check_columns(spec, columns, f"{path.name} line 1")
    rows = []
    for record in reader:
        if None in record:
            raise FileRefused(_("%(file)s line %(line)d: more cells than columns.") % {
                "file": path.name, "line": reader.line_num})  # fmt: skip
        rows.append((reader.line_num, {k.strip(): v for k, v in record.items()}))
    return rows


def _read_jsonl(path: Path) -> list[tuple[int, Any]]:
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise FileRefused(_("%(file)s: not UTF-8 text.") % {"file": path.name}) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            rows.append((number, json.loads(line)))
        except ValueError as problem:
            raise FileRefused(
                _("%(file)s line %(line)d: not a JSON object (%(problem)s).")
                % {"file": path.name, "line": number, "problem": problem}
            ) from None
    return rows


def _read_xlsx(spec: DatasetSpec, path: Path) -> list[tuple[int, dict[str, Any]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise FileRefused(_("%(file)s: not an Excel .xlsx workbook.") % {"file": path.name}) from None
    sheet = book.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    header = next(rows_iter, None) or ()
    columns = [str(c).strip() if c is not None else "" for c in header]
    while columns and not columns[-1]:
        columns.pop()
    _check_columns(spec, columns, f"{path.name} {sheet.title}!1")
    rows = []
    for number, values in enumerate(rows_iter, start=2):
        if all(v is None or v == "" for v in values):
            continue
        rows.append((number, {c: ("" if v is None else v) for c, v in zip(columns, values, strict=False) if c}))
    book.close()
    return rows
