"""exchange.validation after compiling the field handlers once per dataset (issue 4, ingestion speed): the same
values, the same messages, in the language active when the value is checked."""

import re
from datetime import UTC, date, datetime, timedelta
from datetime import timezone as dt_timezone
from decimal import Decimal

import pytest
from django.utils import translation

from ftzsafety.exchange import validation
from ftzsafety.exchange.datasets import DATASETS, FieldSpec

NOT_WHOLE = "“1.5” is not a whole number."
TABLE = [
    ("str", "  津B12345 ", "津B12345", None),
    ("str", "x" * 41, None, "is 41 characters long; at most 40 allowed."),
    ("str", "x" * 40, "x" * 40, None),
    ("str", 12, "12", None),
    ("int", " 12 ", 12, None),
    ("int", "1.5", None, NOT_WHOLE),
    ("int", "-3", None, "must not be negative."),
    ("decimal", "1,234.5", Decimal("1234.500"), None),
    ("decimal", "abc", None, "“abc” is not a number."),
    ("decimal", "-1", None, "must be a number of zero or more."),
    ("decimal", "NaN", None, "must be a number of zero or more."),
    ("date", "2026-02-28", date(2026, 2, 28), None),
    ("date", "20260228", None, "“20260228” is not a date; expected YYYY-MM-DD."),
    ("date", "2026-02-30", None, "day is out of range for month"),
    ("date", datetime(2026, 1, 2, 3, 4, tzinfo=UTC), date(2026, 1, 2), None),
    ("datetime", "2026-11-29T08:00:00+08:00", datetime(2026, 11, 29, 8, tzinfo=dt_timezone(timedelta(hours=8))), None),
    ("datetime", "2026-11-29 8h", None,
     "“2026-11-29 8h” is not a date and time; expected ISO 8601, e.g. 2026-11-29T08:00:00+08:00."),
    ("choice", "IMPORT", "import", None),
    ("choice", "sideways", None, "“sideways” is not one of: import, export."),
    ("uscc", "91350100m000100y43", "91350100M000100Y43", None),
    ("uscc", "91350100M000100Y44", None, "The check character of the credit code is wrong: expected “3”, found “4”."),
    ("uscc", "9135010", None, "The credit code must have 18 characters; “9135010” has 7."),
    ("un_number", "ＵＮ１０１７", "UN1017", None),
    ("un_number", "UN9999", None, "UN9999 is not in the dangerous-goods list (GB 12268-2025)."),
    ("un_number", "1O17", None,
     "“1O17” is not a UN number: expected four digits, optionally after “UN” (e.g. UN1017 or 1017)."),
    ("unit", "吨", "t", None),
    ("unit", "l", "L", None),
    ("unit", "bbl", None, "“bbl” is not a known unit; expected one of: kg, t, g, L, m3, pcs."),
    ("hs_code", "2710.12.10", "27101210", None),
    ("hs_code", "2710121", None, "“2710121” is not an HS code; expected 6, 8 or 10 digits."),
    ("latitude", "39.1", Decimal("39.100000"), None),
    ("latitude", "90.0000001", None, "90.0000001 is out of range; expected decimal degrees from -90 to 90 (WGS 84)."),
    ("longitude", "-181", None, "-181 is out of range; expected decimal degrees from -180 to 180 (WGS 84)."),
    ("longitude", "east", None, "“east” is not a number."),
    ("country", "de", "DE", None),
    ("country", "XX", None, "“XX” is not an ISO 3166 two-letter country code."),
    ("bogus", "x", None, "unknown field kind bogus"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "value", "expected", "reason"), TABLE)
def test_each_kind_cleans_or_explains(kind, value, expected, reason):
    spec = FieldSpec("f", kind, max_length=40, choices=("import", "export"))
    with translation.override("en"):
        for _ in range(2):  # the second time through the compiled handlers and the caches
            cleaned, problems = validation.clean_fields((spec,), {"f": value}, row=7, known_un={"UN1017"}, prefix="p.")
            if reason is None:
                assert cleaned == {"f": expected}
                assert problems == []
                assert type(cleaned["f"]) is type(expected)
            else:
                assert cleaned == {}
                assert [p.as_dict() for p in problems] == [{"row": 7, "field": "p.f", "reason": reason}]
            # clean_value, the single-value entry point, agrees
            if reason is None:
                assert validation.clean_value(spec, value, known_un={"UN1017"}) == expected
            else:
                with pytest.raises(ValueError, match="^" + re.escape(reason) + "$"):
                    validation.clean_value(spec, value, known_un={"UN1017"})


def test_blank_values_are_required_or_empty():
    fields = (
        FieldSpec("a", "str"),
        FieldSpec("b", "str", required=False),
        FieldSpec("c", "date", required=False),
        FieldSpec("d", "datetime", required=False),
        FieldSpec("e", "int", required=False),
        FieldSpec("f", "decimal", required=False),
    )
    with translation.override("en"):
        cleaned, problems = validation.clean_fields(
            fields, {"a": "  ", "b": None, "c": "\t", "d": "", "f": " "}, row=2, known_un=None
        )
    # Text columns take "", numbers and dates NULL (a DecimalField refuses "": the import used to fail).
    assert cleaned == {"b": "", "c": None, "d": None, "e": None, "f": None}
    assert [p.as_dict() for p in problems] == [{"row": 2, "field": "a", "reason": "is required."}]


def test_messages_follow_the_language_active_at_the_time():
    """A rejected value is never remembered: its message is built in the current language each time."""
    spec = FieldSpec("enterprise_code", "uscc")
    reasons = {}
    for language in ("en", "zh-hans", "en"):
        with translation.override(language):
            _cleaned, problems = validation.clean_fields((spec,), {"enterprise_code": "9135010"}, row=1, known_un=None)
            reasons.setdefault(language, set()).add(problems[0].reason)
    assert reasons["en"] == {"The credit code must have 18 characters; “9135010” has 7."}
    assert len(reasons["zh-hans"]) == 1
    assert reasons["zh-hans"] != reasons["en"]
    assert "9135010" in next(iter(reasons["zh-hans"]))


def waybill(**overrides) -> dict:
    row = {
        "waybill_no": "WB-2026-0001", "enterprise_code": "91350100M000100Y43", "enterprise_name": "",
        "carrier": "滨海危货运输有限公司", "vehicle": "津B12345", "un_number": "1203", "quantity": "12.5",
        "unit": "吨", "origin": "天津港", "destination": "滨海化工园区", "route": "",
        "departs_on": "2026-11-28", "arrives_on": "2026-11-29",
    }  # fmt: skip
    row.update(overrides)
    return row


def test_waybill_row_cleaned_once_compiled():
    spec = DATASETS["dangerous-goods-waybills"]
    cleaned, problems = validation.clean_row(spec, waybill(), row=1, known_un={"UN1203"})
    assert problems == []
    assert cleaned == {
        "waybill_no": "WB-2026-0001", "enterprise_code": "91350100M000100Y43", "enterprise_name": "",
        "carrier": "滨海危货运输有限公司", "vehicle": "津B12345", "un_number": "UN1203", "quantity": Decimal("12.500"),
        "unit": "t", "origin": "天津港", "destination": "滨海化工园区", "route": "",
        "departs_on": date(2026, 11, 28), "arrives_on": date(2026, 11, 29),
    }  # fmt: skip
    assert validation._compiled_dataset(spec) is validation._compiled_dataset(spec)


def test_waybill_row_problems_in_order():
    spec = DATASETS["dangerous-goods-waybills"]
    raw = waybill(enterprise_code=" ", quantity="-2", unit="bbl", colour="red", arrives_on="tomorrow")
    with translation.override("en"):
        cleaned, problems = validation.clean_row(spec, raw, row=9, known_un={"UN1203"})
    assert cleaned is None
    assert [(p.field, p.reason) for p in problems] == [
        ("quantity", "must be a number of zero or more."),
        ("unit", "“bbl” is not a known unit; expected one of: kg, t, g, L, m3, pcs."),
        ("arrives_on", "“tomorrow” is not a date; expected YYYY-MM-DD."),
        ("colour", "is not a field of this dataset."),
        ("enterprise_code", "give the credit code or the enterprise name."),
    ]


def test_declaration_lines_prefixed_and_repeats_found():
    spec = DATASETS["customs-declarations"]
    line = {"line_no": "1", "hs_code": "2710.12.10", "goods_name": "车用汽油", "un_number": "", "quantity": "3",
            "unit": "t"}  # fmt: skip
    raw = {
        "declaration_no": "020220261129000001",
        "declared_on": "2026-11-29",
        "direction": "Import",
        "enterprise_code": "",
        "enterprise_name": "滨海化工有限公司",
        "port": "天津新港",
        "country": "kr",
        "goods": [line, "x", {**line, "unit": "桶"}],
    }
    with translation.override("en"):
        cleaned, problems = validation.clean_row(spec, raw, row=4, known_un=None)
        assert cleaned is None
        assert [(p.field, p.reason) for p in problems] == [
            ("goods[1]", "is not an object."),
            ("goods[2].unit", "“桶” is not a known unit; expected one of: kg, t, g, L, m3, pcs."),
            ("goods[2].line_no", "is repeated."),
        ]
        raw["goods"] = [line]
        cleaned, problems = validation.clean_row(spec, raw, row=4, known_un=None)
    assert problems == []
    assert cleaned["direction"] == "import"
    assert cleaned["country"] == "KR"
    assert cleaned["goods"] == [{"line_no": 1, "hs_code": "27101210", "goods_name": "车用汽油", "un_number": "",
                                 "quantity": Decimal("3.000"), "unit": "t"}]  # fmt: skip


def test_not_an_object():
    with translation.override("en"):
        cleaned, problems = validation.clean_row(DATASETS["transport-tracks"], ["x"], row=3, known_un=None)
    assert cleaned is None
    assert [p.as_dict() for p in problems] == [{"row": 3, "field": "", "reason": "is not an object with named fields."}]
