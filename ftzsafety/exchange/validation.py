"""Validating one incoming row against its dataset spec. Pure apart from the UN list lookup, which the caller
passes in as a set (one query per import, dangerous_goods.selectors)."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django_countries import countries

from ftzsafety.core.codes import CodeProblem, uscc_validate
from ftzsafety.dangerous_goods.identifiers import parse_un_number
from ftzsafety.exchange.choices import Unit
from ftzsafety.exchange.datasets import DatasetSpec, FieldSpec

_HS_RE = re.compile(r"^\d{6}(\d{2}(\d{2})?)?$")
_UNIT_ALIASES = {"千克": "kg", "公斤": "kg", "吨": "t", "克": "g", "升": "L", "l": "L", "立方米": "m3", "件": "pcs"}


@dataclass
class Problem:
    row: int
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_value(spec: FieldSpec, value: Any, *, known_un: set[str] | None) -> Any:
    """The typed value, or ValueError with a message saying what is wrong and what is expected."""
    kind = spec.kind
    if isinstance(value, str):
        value = value.strip()
    if kind == "str":
        text = str(value)
        if spec.max_length and len(text) > spec.max_length:
            raise ValueError(_("is %(n)d characters long; at most %(max)d allowed.") % {
                "n": len(text), "max": spec.max_length})  # fmt: skip
        return text
    if kind == "int":
        try:
            number = int(str(value))
        except ValueError:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
        if number < 0:
            raise ValueError(_("must not be negative."))
        return number
    if kind == "decimal":
        try:
            number = Decimal(str(value).replace(",", ""))
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None
        if not number.is_finite() or number < 0:
            raise ValueError(_("must be a number of zero or more."))
        return number.quantize(Decimal("0.001"))
    if kind == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        parsed = parse_date(str(value)) if re.match(r"^\d{4}-\d{2}-\d{2}$", str(value)) else None
        if parsed is None:
            raise ValueError(_("“%(value)s” is not a date; expected YYYY-MM-DD.") % {"value": value})
        return parsed
    if kind == "datetime":
        parsed_dt = value if isinstance(value, datetime) else None
        if parsed_dt is None:
            try:
                parsed_dt = parse_datetime(str(value))
            except ValueError:
                parsed_dt = None
        if parsed_dt is None:
            raise ValueError(
                _("“%(value)s” is not a date and time; expected ISO 8601, e.g. 2026-11-29T08:00:00+08:00.")
                % {"value": value}
            )
        if timezone.is_naive(parsed_dt):
            parsed_dt = timezone.make_aware(parsed_dt)
        return parsed_dt
    if kind == "choice":
        text = str(value).lower()
        if text not in spec.choices:
            raise ValueError(_("“%(value)s” is not one of: %(choices)s.") % {
                "value": value, "choices": ", ".join(spec.choices)})  # fmt: skip
        return text
    if kind == "uscc":
        try:
            return uscc_validate(str(value))
        except CodeProblem as problem:
            raise ValueError(str(problem)) from None
    if kind == "un_number":
        number = parse_un_number(str(value))
        if known_un is not None and number not in known_un:
            raise ValueError(_("%(number)s is not in the dangerous-goods list (GB 12268-2025).") % {"number": number})
        return number
    if kind == "unit":
        text = _UNIT_ALIASES.get(str(value), str(value))
        if text not in Unit.values:
            raise ValueError(_("“%(value)s” is not a known unit; expected one of: %(units)s.") % {
                "value": value, "units": ", ".join(Unit.values)})  # fmt: skip
        return text
    if kind == "hs_code":
        text = str(value).replace(".", "")
        if not _HS_RE.match(text):
            raise ValueError(_("“%(value)s” is not an HS code; expected 6, 8 or 10 digits.") % {"value": value})
        return text
    if kind == "country":
        text = str(value).upper()
        if text not in dict(countries):
            raise ValueError(_("“%(value)s” is not an ISO 3166 two-letter country code.") % {"value": value})
        return text
    raise ValueError(f"unknown field kind {kind}")


def clean_fields(
    fields: tuple[FieldSpec, ...], raw: dict[str, Any], *, row: int, known_un: set[str] | None, prefix: str = ""
) -> tuple[dict[str, Any], list[Problem]]:
    cleaned: dict[str, Any] = {}
    problems: list[Problem] = []
    for spec in fields:
        value = raw.get(spec.name)
        if _blank(value):
            if spec.required:
                problems.append(Problem(row, prefix + spec.name, _("is required.")))
            else:
                cleaned[spec.name] = None if spec.kind in ("date", "datetime") else ""
            continue
        try:
            cleaned[spec.name] = clean_value(spec, value, known_un=known_un)
        except ValueError as problem:
            problems.append(Problem(row, prefix + spec.name, str(problem)))
    return cleaned, problems


def clean_row(
    spec: DatasetSpec, raw: Any, *, row: int, known_un: set[str] | None
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """(cleaned values, []) or (None, problems). Children, when the dataset has them, come as a list under
    `spec.child.name`, each cleaned the same way (field names prefixed `goods[i].`)."""
    if not isinstance(raw, dict):
        return None, [Problem(row, "", _("is not an object with named fields."))]
    unknown = sorted(set(raw) - set(f.name for f in spec.fields) - ({spec.child.name} if spec.child else set()))
    cleaned, problems = clean_fields(spec.fields, raw, row=row, known_un=known_un)
    if unknown:
        problems.append(Problem(row, unknown[0], _("is not a field of this dataset.")))
    if "enterprise_code" in cleaned and not cleaned.get("enterprise_code") and not cleaned.get("enterprise_name"):
        problems.append(Problem(row, "enterprise_code", _("give the credit code or the enterprise name.")))
    if spec.model.__name__ == "StorageInventory" and not cleaned.get("un_number") and not cleaned.get("chemical_name"):
        problems.append(Problem(row, "un_number", _("give the UN number or the chemical name.")))
    if spec.child:
        lines = raw.get(spec.child.name)
        if not isinstance(lines, list) or not lines:
            problems.append(Problem(row, spec.child.name, _("at least one line is required.")))
        else:
            children = []
            seen: set[Any] = set()
            for i, line in enumerate(lines):
                if not isinstance(line, dict):
                    problems.append(Problem(row, f"{spec.child.name}[{i}]", _("is not an object.")))
                    continue
                child, child_problems = clean_fields(
                    spec.child.fields, line, row=row, known_un=known_un, prefix=f"{spec.child.name}[{i}]."
                )
                problems += child_problems
                key = child.get(spec.child.key)
                if key in seen:
                    problems.append(Problem(row, f"{spec.child.name}[{i}].{spec.child.key}", _("is repeated.")))
                seen.add(key)
                children.append(child)
            cleaned[spec.child.name] = children
    if problems:
        return None, problems
    return cleaned, []
