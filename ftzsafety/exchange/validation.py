"""Validating one incoming row against its dataset spec. Pure apart from the UN list lookup, which the caller
passes in as a set (one query per import, dangerous_goods.selectors).

Speed (issue 4, ingestion at ≥ 0.5× a plain executemany): each field list is compiled once into
(name, required, blank value, text limit, cleaner) entries, one small function per kind with its constants bound,
and each DatasetSpec once into its allowed names; credit codes and UN numbers that pass are remembered (they are pure
functions of the text). Messages are built only when a value is wrong, in the language active at that moment, so
every value and message is the same as checking field by field."""

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
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
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UNIT_ALIASES = {"千克": "kg", "公斤": "kg", "吨": "t", "克": "g", "升": "L", "l": "L", "立方米": "m3", "件": "pcs"}
_UNITS = tuple(Unit.values)
_UNIT_SET = frozenset(_UNITS)
_THOUSANDTH = Decimal("0.001")
_MICRODEGREE = Decimal("0.000001")

Cleaner = Callable[[Any, "set[str] | None"], Any]


@dataclass
class Problem:
    row: int
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


@lru_cache(maxsize=65536)
def _uscc_valid(text: str) -> str:
    """uscc_validate of a string, remembered for codes that pass (a rejected code raises and is not remembered, so
    its message is always built in the language active at the time). GB 32100-2015 check, core.codes."""
    return uscc_validate(text)


@lru_cache(maxsize=4096)
def _un_valid(text: str) -> str:
    """parse_un_number of a string, remembered for numbers that parse (errors are not remembered)."""
    return parse_un_number(text)


# One cleaner per kind: (value, known_un) -> typed value, or ValueError with a message saying what is wrong and
# what is expected. `value` is never blank and, when a string, already stripped.


def _str_cleaner(spec: FieldSpec) -> Cleaner:
    max_length = spec.max_length

    def clean(value: Any, known_un: set[str] | None) -> Any:
        text = str(value)
        if max_length and len(text) > max_length:
            raise ValueError(_("is %(n)d characters long; at most %(max)d allowed.") % {
                "n": len(text), "max": max_length})  # fmt: skip
        return text

    return clean


def _int_cleaner(spec: FieldSpec) -> Cleaner:
    def clean(value: Any, known_un: set[str] | None) -> Any:
        try:
            number = int(str(value))
        except ValueError:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
        if number < 0:
            raise ValueError(_("must not be negative."))
        return number

    return clean


def _decimal_cleaner(spec: FieldSpec) -> Cleaner:
    def clean(value: Any, known_un: set[str] | None) -> Any:
        try:
            number = Decimal(str(value).replace(",", ""))
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None
        if not number.is_finite() or number < 0:
            raise ValueError(_("must be a number of zero or more."))
        return number.quantize(_THOUSANDTH)

    return clean


def _date_cleaner(spec: FieldSpec) -> Cleaner:
    def clean(value: Any, known_un: set[str] | None) -> Any:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value)
        parsed = parse_date(text) if _DATE_RE.match(text) else None
        if parsed is None:
            raise ValueError(_("“%(value)s” is not a date; expected YYYY-MM-DD.") % {"value": value})
        return parsed

    return clean


def _datetime_cleaner(spec: FieldSpec) -> Cleaner:
    def clean(value: Any, known_un: set[str] | None) -> Any:
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

    return clean


def _choice_cleaner(spec: FieldSpec) -> Cleaner:
    choices = spec.choices
    allowed = frozenset(choices)

    def clean(value: Any, known_un: set[str] | None) -> Any:
        text = str(value).lower()
        if text not in allowed:
            raise ValueError(_("“%(value)s” is not one of: %(choices)s.") % {
                "value": value, "choices": ", ".join(choices)})  # fmt: skip
        return text

    return clean


def _uscc_cleaner(spec: FieldSpec) -> Cleaner:
    def clean(value: Any, known_un: set[str] | None) -> Any:
        try:
            return _uscc_valid(str(value))
        except CodeProblem as problem:
            raise ValueError(str(problem)) from None

    return clean


def _un_number_cleaner(spec: FieldSpec) -> Cleaner:
    def clean(value: Any, known_un: set[str] | None) -> Any:
        number = _un_valid(str(value))
        if known_un is not None and number not in known_un:
            raise ValueError(_("%(number)s is not in the dangerous-goods list (GB 12268-2025).") % {"number": number})
        return number

    return clean


def _unit_cleaner(spec: FieldSpec) -> Cleaner:
    def clean(value: Any, known_un: set[str] | None) -> Any:
        text = str(value)
        text = _UNIT_ALIASES.get(text, text)
        if text not in _UNIT_SET:
            raise ValueError(_("“%(value)s” is not a known unit; expected one of: %(units)s.") % {
                "value": value, "units": ", ".join(_UNITS)})  # fmt: skip
        return text

    return clean


def _hs_code_cleaner(spec: FieldSpec) -> Cleaner:
    def clean(value: Any, known_un: set[str] | None) -> Any:
        text = str(value).replace(".", "")
        if not _HS_RE.match(text):
            raise ValueError(_("“%(value)s” is not an HS code; expected 6, 8 or 10 digits.") % {"value": value})
        return text

    return clean


def _degrees_cleaner(spec: FieldSpec) -> Cleaner:
    limit = 90 if spec.kind == "latitude" else 180

    def clean(value: Any, known_un: set[str] | None) -> Any:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None
        if not number.is_finite() or not -limit <= number <= limit:
            raise ValueError(
                _("%(value)s is out of range; expected decimal degrees from -%(limit)d to %(limit)d (WGS 84).")
                % {"value": value, "limit": limit}
            )
        return number.quantize(_MICRODEGREE)

    return clean


def _country_cleaner(spec: FieldSpec) -> Cleaner:
    def clean(value: Any, known_un: set[str] | None) -> Any:
        text = str(value).upper()
        # The codes django-countries offers (honouring COUNTRIES_ONLY / COUNTRIES_OVERRIDE), without building the
        # translated, sorted list of names per value.
        if text not in countries.countries:
            raise ValueError(_("“%(value)s” is not an ISO 3166 two-letter country code.") % {"value": value})
        return text

    return clean


def _unknown_cleaner(spec: FieldSpec) -> Cleaner:
    kind = spec.kind

    def clean(value: Any, known_un: set[str] | None) -> Any:
        raise ValueError(f"unknown field kind {kind}")

    return clean


_CLEANERS: dict[str, Callable[[FieldSpec], Cleaner]] = {
    "str": _str_cleaner,
    "int": _int_cleaner,
    "decimal": _decimal_cleaner,
    "date": _date_cleaner,
    "datetime": _datetime_cleaner,
    "choice": _choice_cleaner,
    "uscc": _uscc_cleaner,
    "un_number": _un_number_cleaner,
    "unit": _unit_cleaner,
    "hs_code": _hs_code_cleaner,
    "latitude": _degrees_cleaner,
    "longitude": _degrees_cleaner,
    "country": _country_cleaner,
}

# (name, required, value when blank and optional, longest text taken as is (str fields only, else None), cleaner)
CompiledField = tuple[str, bool, Any, int | None, Cleaner]
_COMPILED_FIELDS: dict[int, tuple[tuple[FieldSpec, ...], tuple[CompiledField, ...]]] = {}


def _compiled_fields(fields: tuple[FieldSpec, ...]) -> tuple[CompiledField, ...]:
    """The field list compiled once; keyed by identity (the tuple is kept alive by the cache, so an id is never
    reused while its entry exists; FieldSpec labels are lazy and must not be hashed)."""
    entry = _COMPILED_FIELDS.get(id(fields))
    if entry is not None and entry[0] is fields:
        return entry[1]
    compiled = tuple(
        (
            spec.name,
            spec.required,
            # A blank optional value is stored as NULL where the column has no empty text: numbers and dates.
            None if spec.kind in ("date", "datetime", "decimal", "int") else "",
            (spec.max_length or sys.maxsize) if spec.kind == "str" else None,
            _CLEANERS.get(spec.kind, _unknown_cleaner)(spec),
        )
        for spec in fields
    )
    _COMPILED_FIELDS[id(fields)] = (fields, compiled)
    return compiled


@dataclass(frozen=True)
class _CompiledDataset:
    fields: tuple[CompiledField, ...]
    allowed: frozenset[str]
    storage_inventory: bool


_COMPILED_DATASETS: dict[int, tuple[DatasetSpec, _CompiledDataset]] = {}


def _compiled_dataset(spec: DatasetSpec) -> _CompiledDataset:
    entry = _COMPILED_DATASETS.get(id(spec))
    if entry is not None and entry[0] is spec:
        return entry[1]
    compiled = _CompiledDataset(
        fields=_compiled_fields(spec.fields),
        allowed=frozenset(f.name for f in spec.fields) | ({spec.child.name} if spec.child else frozenset()),
        storage_inventory=spec.model.__name__ == "StorageInventory",
    )
    _COMPILED_DATASETS[id(spec)] = (spec, compiled)
    return compiled


def clean_value(spec: FieldSpec, value: Any, *, known_un: set[str] | None) -> Any:
    """The typed value, or ValueError with a message saying what is wrong and what is expected."""
    if isinstance(value, str):
        value = value.strip()
    return _CLEANERS.get(spec.kind, _unknown_cleaner)(spec)(value, known_un)


def _clean_compiled(
    fields: tuple[CompiledField, ...], raw: dict[str, Any], row: int, known_un: set[str] | None, prefix: str
) -> tuple[dict[str, Any], list[Problem]]:
    cleaned: dict[str, Any] = {}
    problems: list[Problem] = []
    get = raw.get
    for name, required, blank_value, text_limit, clean in fields:
        value = get(name)
        if isinstance(value, str):
            value = value.strip()
            if not value:
                value = None
            elif text_limit is not None and len(value) <= text_limit:
                cleaned[name] = value  # a text field within its length: what _str_cleaner returns, without the call
                continue
        if value is None:
            if required:
                problems.append(Problem(row, prefix + name, _("is required.")))
            else:
                cleaned[name] = blank_value
            continue
        try:
            cleaned[name] = clean(value, known_un)
        except ValueError as problem:
            problems.append(Problem(row, prefix + name, str(problem)))
    return cleaned, problems


def clean_fields(
    fields: tuple[FieldSpec, ...], raw: dict[str, Any], *, row: int, known_un: set[str] | None, prefix: str = ""
) -> tuple[dict[str, Any], list[Problem]]:
    return _clean_compiled(_compiled_fields(fields), raw, row, known_un, prefix)


def clean_row(
    spec: DatasetSpec, raw: Any, *, row: int, known_un: set[str] | None
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """(cleaned values, []) or (None, problems). Children, when the dataset has them, come as a list under
    `spec.child.name`, each cleaned the same way (field names prefixed `goods[i].`)."""
    if not isinstance(raw, dict):
        return None, [Problem(row, "", _("is not an object with named fields."))]
    compiled = _compiled_dataset(spec)
    unknown = raw.keys() - compiled.allowed
    if unknown:
        unknown = sorted(unknown)
    cleaned, problems = _clean_compiled(compiled.fields, raw, row, known_un, "")
    if unknown:
        problems.append(Problem(row, unknown[0], _("is not a field of this dataset.")))
    if "enterprise_code" in cleaned and not cleaned.get("enterprise_code") and not cleaned.get("enterprise_name"):
        problems.append(Problem(row, "enterprise_code", _("give the credit code or the enterprise name.")))
    if compiled.storage_inventory and not cleaned.get("un_number") and not cleaned.get("chemical_name"):
        problems.append(Problem(row, "un_number", _("give the UN number or the chemical name.")))
    if not problems:
        for check in spec.checks:
            problems += [Problem(row, name, reason) for name, reason in check(cleaned)]
    if spec.child:
        lines = raw.get(spec.child.name)
        if not isinstance(lines, list) or not lines:
            problems.append(Problem(row, spec.child.name, _("at least one line is required.")))
        else:
            child_fields = _compiled_fields(spec.child.fields)
            children = []
            seen: set[Any] = set()
            for i, line in enumerate(lines):
                if not isinstance(line, dict):
                    problems.append(Problem(row, f"{spec.child.name}[{i}]", _("is not an object.")))
                    continue
                child, child_problems = _clean_compiled(child_fields, line, row, known_un, f"{spec.child.name}[{i}].")
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
