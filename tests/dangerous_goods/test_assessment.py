"""GB 18218-2018 identification and grading: examples, matching, input errors and properties."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.dangerous_goods.assessment import Line, Tables, assess, calculate, match_substance

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (outside a request the default language is zh-hans)."""
    with translation.override("en"):
        yield


def _assess(lines: list[dict], people: int = 60) -> dict:
    return assess(inventories=lines, exposed_population=people)


def test_issue_example_with_a_category_line():
    result = _assess(
        [
            {"substance": "氯", "quantity_t": 3},
            {"cas": "7664-41-7", "quantity_t": 6},
            {"category": "W5.3", "quantity_t": 120},
        ]
    )
    assert result["S"] == 1.32
    assert result["is_major"]
    assert [(line["Q"], line["beta"], line["q_over_Q"]) for line in result["lines"]] == [
        (5, 4, 0.6),
        (10, 2, 0.6),
        (1000, 1, 0.12),
    ]
    # R = 1.5 × (2.4 + 1.2 + 0.12) = 5.58
    assert result["R"] == 5.58
    assert result["grade"] == 4


@pytest.mark.parametrize(
    ("lines", "s", "major"),
    [
        ([{"substance": "氯", "quantity_t": 5}], 1.0, True),  # q = Q is major (§4.2.2)
        ([{"substance": "氯", "quantity_t": "4.999"}], 0.9998, False),
        ([{"substance": "汽油", "quantity_t": 100}, {"substance": "甲醇", "quantity_t": 250}], 1.0, True),
        ([{"substance": "丙烯", "category": "W2", "quantity_t": 20}], 2.0, True),  # not in Table 1: W2, Q = 10 t
        ([{"category": "W5.4", "quantity_t": 2500}], 0.5, False),
        ([{"substance": "光气", "quantity_t": "0.3"}], 1.0, True),
        ([{"substance": "液化气", "quantity_t": 25}], 0.5, False),
    ],
)
def test_identification(lines, s, major):
    result = _assess(lines)
    assert result["S"] == s
    assert result["is_major"] is major
    if not major:
        assert result["R"] is None
        assert result["grade"] is None


@pytest.mark.parametrize(
    ("chlorine_t", "people", "r", "grade"),
    [
        ("62.5", 100, 100.0, 1),  # R = 2 × 4 × 62.5 / 5
        ("62.49", 100, 99.984, 2),
        ("31.25", 100, 50.0, 2),
        ("31.2", 100, 49.92, 3),
        ("6.25", 100, 10.0, 3),
        ("6.2", 100, 9.92, 4),
        ("10", 0, 4.0, 4),  # α = 0.5 with nobody within 500 m
        ("10", 30, 9.6, 4),  # α = 1.2
    ],
)
def test_grading(chlorine_t, people, r, grade):
    result = _assess([{"substance": "氯", "quantity_t": chlorine_t}], people)
    assert (result["R"], result["grade"]) == (r, grade)


@pytest.mark.parametrize(
    "typed",
    [
        "氯",
        "液氯",
        "氯气",
        "氯 气",
        "7782-50-5",
        "７７８２－５０－５",
        "UN1017",
        "1017",
        "Chlorine",
        "ＣＨＬＯＲＩＮＥ",
    ],
)
def test_a_substance_is_matched_by_name_alias_cas_or_number(typed):
    (substance,) = match_substance(typed, Tables.load())
    assert substance.name_zh == "氯"


def test_the_name_without_its_qualifier_matches():
    (substance,) = match_substance("氯化氢", Tables.load())
    assert substance.name_zh == "氯化氢(无水)"


def test_a_named_substance_without_named_beta_is_flagged():
    result = _assess([{"substance": "TNT", "quantity_t": 10}])
    assert result["lines"][0]["beta_basis"] == "assumed"
    assert result["notes"]
    with_category = _assess([{"substance": "TNT", "category": "W1.1", "quantity_t": 10}])
    line = with_category["lines"][0]
    # Table 1 still gives Q (5 t); the category gives β (2).
    assert (line["Q"], line["beta"], line["beta_basis"]) == (5, 2, "category")


@pytest.mark.parametrize(
    ("lines", "field", "words"),
    [
        ([{"substance": "不存在的物质", "quantity_t": 1}], "inventories[0].substance", "Table 2"),
        ([{"substance": "氯", "quantity_t": 0}], "inventories[0].quantity_t", "greater than 0"),
        ([{"substance": "氯", "quantity_t": -3}], "inventories[0].quantity_t", "greater than 0"),
        ([{"substance": "氯", "quantity_t": float("nan")}], "inventories[0].quantity_t", "finite"),
        ([{"substance": "氯", "quantity_t": float("inf")}], "inventories[0].quantity_t", "finite"),
        ([{"substance": "氯", "quantity_t": "abc"}], "inventories[0].quantity_t", "number"),
        ([{"substance": "氯"}], "inventories[0].quantity_t", "required"),
        ([{"substance": "氯", "quantity_t": True}], "inventories[0].quantity_t", "number"),
        ([{"substance": "氯", "quantity_t": 1}, {"cas": "7782-50-4", "quantity_t": 1}], "inventories[1].cas", "CAS"),
        ([{"substance": "氯", "quantity_t": 1}, {"cas": "115-07-1", "quantity_t": 1}], "inventories[1].cas", "Table 2"),
        ([{"category": "W12", "quantity_t": 1}], "inventories[0].category", "Table 2"),
        ([{"substance": "硝酸铵", "quantity_t": 1}], "inventories[0].substance", "several"),
        ([{"cas": "9004-70-0", "quantity_t": 1}], "inventories[0].cas", "several"),
        ([{"quantity_t": 1}], "inventories[0].substance", "category"),
        ([], "inventories", "at least one"),
    ],
)
def test_bad_lines_are_refused_naming_line_and_field(lines, field, words):
    with pytest.raises(ValidationFailed) as failed:
        _assess(lines)
    assert field in failed.value.fields, failed.value.fields
    message = failed.value.fields[field][0]
    assert words in message
    if field.startswith("inventories["):
        assert f"Line {int(field[12]) + 1}" in message


def test_every_bad_line_is_reported_at_once():
    with pytest.raises(ValidationFailed) as failed:
        assess(
            inventories=[{"substance": "?", "quantity_t": 1}, {"substance": "氯", "quantity_t": -1}],
            exposed_population=-5,
        )
    assert {"inventories[0].substance", "inventories[1].quantity_t", "exposed_population"} <= set(failed.value.fields)


@pytest.mark.parametrize("people", [None, -1, 2.5, "many", True])
def test_population_must_be_a_whole_number(people):
    with pytest.raises(ValidationFailed) as failed:
        _assess([{"substance": "氯", "quantity_t": 1}], people)
    assert "exposed_population" in failed.value.fields


# --- properties ---------------------------------------------------------------------------------------------------

_quantity = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("100000"), places=3)
_kind = st.sampled_from(["氯", "氨", "汽油", "甲醇", "苯", "光气", "W2", "W5.3", "J1", "W1.1"])


@pytest.fixture(scope="module")
def tables(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return Tables.load()


def _line(tables: Tables, kind: str, quantity: Decimal) -> Line:
    if kind in tables.categories:
        return Line(label=kind, quantity_t=quantity, category=tables.categories[kind])
    (substance,) = match_substance(kind, tables)
    return Line(label=kind, quantity_t=quantity, substance=substance)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(st.tuples(_kind, _quantity), min_size=1, max_size=5),
    people=st.integers(min_value=0, max_value=1000),
)
def test_r_is_alpha_times_the_weighted_sum(tables, lines, people):
    result = calculate([_line(tables, k, q) for k, q in lines], people, tables)
    weighted = sum(line["beta"] * line["quantity_t"] / line["Q"] for line in result["lines"])
    s = sum(line["quantity_t"] / line["Q"] for line in result["lines"])
    assert result["S"] == pytest.approx(s, rel=1e-6, abs=1e-6)
    assert result["is_major"] is (result["S"] >= 1)
    if result["is_major"]:
        assert result["R"] == pytest.approx(result["alpha"] * weighted, rel=1e-6, abs=1e-5)
        assert result["alpha"] == float(tables.alpha_for(people))
    else:
        assert result["R"] is None


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(st.tuples(_kind, _quantity), min_size=1, max_size=5),
    which=st.integers(min_value=0, max_value=4),
    more=st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1000"), places=3),
)
def test_s_grows_with_q(tables, lines, which, more):
    index = which % len(lines)
    base = calculate([_line(tables, k, q) for k, q in lines], 10, tables)
    grown = [(k, q + more if n == index else q) for n, (k, q) in enumerate(lines)]
    bigger = calculate([_line(tables, k, q) for k, q in grown], 10, tables)
    assert bigger["S"] >= base["S"]
    assert bigger["S"] > base["S"] or base["S"] > 1e6  # rounding to 6 places only hides growth in huge sums
    if base["is_major"]:
        assert bigger["is_major"]
        assert bigger["grade"] <= base["grade"]  # grade 1 is the highest
