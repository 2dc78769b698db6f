"""Segregation (IMDG Code 7.2.4): the service other modules call, its rules and its errors."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.dangerous_goods.segregation import ClassedItem, SegregationTable
from ftzsafety.dangerous_goods.services import segregation_check

pytestmark = pytest.mark.django_db


def _pair(a: dict, b: dict):
    (pair,) = segregation_check(items=[{"ref": "A", **a}, {"ref": "B", **b}]).pairs
    return pair


@pytest.mark.parametrize(
    ("a", "b", "code", "decided_by"),
    [
        # Gasoline (3) with an oxidiser: "separated from".
        ({"un_number": "1203"}, {"hazard_class": "5.1"}, "2", ("3", "5.1")),
        # Explosives among themselves: IMDG 7.2.7.
        ({"un_number": "UN0081"}, {"hazard_class": "1.4S"}, "*", ("1.1D", "1.4S")),
        # A compatibility letter uses its division's row: 1.1D × 3 = 4, 1.3C × 4.1 = 3.
        ({"hazard_class": "1.1D"}, {"hazard_class": "3"}, "4", ("1.1D", "3")),
        ({"hazard_class": "1.3C"}, {"hazard_class": "4.1"}, "3", ("1.3C", "4.1")),
        # Chlorine 2.3 (5.1, 8) with gasoline: 2.3 × 3 = 2 and 5.1 × 3 = 2; the primary pair is named.
        ({"un_number": "UN1017"}, {"un_number": "UN1203"}, "2", ("2.3", "3")),
        # Chlorine with a flammable solid: the primary pair says X, the subsidiary 5.1 says 1.
        ({"un_number": "UN1017"}, {"hazard_class": "4.1"}, "1", ("5.1", "4.1")),
        # Chlorine with a 1.4 explosive: 2.3 × 1.4 = 1 but 5.1 × 1.4 = 2.
        ({"un_number": "UN1017"}, {"hazard_class": "1.4S"}, "2", ("5.1", "1.4S")),
        # Subsidiary hazards typed with a class.
        ({"hazard_class": "3", "subsidiary_hazards": ["8"]}, {"hazard_class": "4.1"}, "1", ("8", "4.1")),
        # A bare class is taken as its strictest division (GB 12268 prints 2 for aerosols).
        ({"un_number": "UN1950"}, {"hazard_class": "3"}, "2", ("2.1", "3")),
        ({"hazard_class": "6"}, {"hazard_class": "1.4G"}, "4", ("6.2", "1.4G")),
        ({"hazard_class": "8"}, {"hazard_class": "8"}, "X", ("8", "8")),
        ({"hazard_class": "6.2"}, {"hazard_class": "3"}, "3", ("6.2", "3")),
    ],
)
def test_pairs(a, b, code, decided_by):
    pair = _pair(a, b)
    assert (pair.code, pair.decided_by) == (code, decided_by)
    assert pair.conflict is (code != "X")


@pytest.mark.parametrize(("a", "b"), [("2.1", "4.3"), ("3", "4.3"), ("4.3", "2.1")])
def test_disputed_cells_are_reported_uncertain(a, b):
    pair = _pair({"hazard_class": a}, {"hazard_class": b})
    assert pair.code == "2"
    assert pair.uncertain
    assert pair.note


def test_every_pair_is_answered_in_input_order():
    answer = segregation_check(
        items=[
            {"ref": "A", "un_number": "1203"},
            {"ref": "B", "hazard_class": "5.1"},
            {"ref": "C", "un_number": "3480"},
        ]
    )
    assert [(p.a, p.b) for p in answer.pairs] == [("A", "B"), ("A", "C"), ("B", "C")]
    assert [p.code for p in answer.pairs] == ["2", "X", "X"]


def test_references_default_to_positions():
    answer = segregation_check(items=[{"un_number": "1203"}, {"hazard_class": "8"}])
    assert (answer.pairs[0].a, answer.pairs[0].b) == ("1", "2")


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([{"un_number": "1203"}], "items"),
        ([{"ref": "A", "un_number": "9999"}, {"ref": "B", "hazard_class": "3"}], "items[0].un_number"),
        ([{"ref": "A", "un_number": "12O3"}, {"ref": "B", "hazard_class": "3"}], "items[0].un_number"),
        ([{"ref": "A", "un_number": "1203"}, {"ref": "B", "hazard_class": "3.7"}], "items[1].hazard_class"),
        ([{"ref": "A", "un_number": "1203"}, {"ref": "B", "hazard_class": "Z"}], "items[1].hazard_class"),
        ([{"ref": "A", "un_number": "1203", "hazard_class": "3"}, {"ref": "B", "hazard_class": "3"}], "items[0]"),
        ([{"ref": "A", "un_number": "1203"}, {"ref": "A", "hazard_class": "3"}], "items[1].ref"),
        ([{"ref": "A"}, {"ref": "B", "hazard_class": "3"}], "items[0]"),
        (
            [{"ref": "A", "hazard_class": "3", "subsidiary_hazards": ["9.9"]}, {"ref": "B", "hazard_class": "3"}],
            "items[0].subsidiary_hazards[0]",
        ),
    ],
)
def test_invalid_items_name_the_field(items, field):
    with pytest.raises(ValidationFailed) as failed:
        segregation_check(items=items)
    assert field in failed.value.fields


SEGREGATION_CLASSES = [
    "1.1D", "1.2G", "1.3C", "1.4S", "1.5D", "1.6N", "2.1", "2.2", "2.3", "3", "4.1", "4.2", "4.3", "5.1", "5.2",
    "6.1", "6.2", "7", "8", "9", "2", "4", "5", "6",
]  # fmt: skip
_item = st.tuples(st.sampled_from(SEGREGATION_CLASSES), st.lists(st.sampled_from(SEGREGATION_CLASSES[6:]), max_size=2))


@pytest.fixture(scope="module")
def table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return SegregationTable.load()


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=_item, b=_item)
def test_segregation_is_symmetric(table, a, b):
    item_a = ClassedItem("A", a[0], tuple(a[1]))
    item_b = ClassedItem("B", b[0], tuple(b[1]))
    forward, backward = table.decide(item_a, item_b), table.decide(item_b, item_a)
    assert forward.code == backward.code
    assert forward.conflict == (forward.code != "X")


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=_item, b=_item, extra=st.sampled_from(SEGREGATION_CLASSES[6:]))
def test_a_subsidiary_hazard_never_relaxes_segregation(table, a, b, extra):
    rank = {code.code: code.rank for code in table.codes.values()}
    before = table.decide(ClassedItem("A", a[0], tuple(a[1])), ClassedItem("B", b[0], tuple(b[1])))
    after = table.decide(ClassedItem("A", a[0], (*a[1], extra)), ClassedItem("B", b[0], tuple(b[1])))
    assert rank[after.code] >= rank[before.code]


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(other=st.sampled_from(SEGREGATION_CLASSES))
def test_class_9_with_anything_is_x(table, other):
    assert table.decide(ClassedItem("A", "9"), ClassedItem("B", other)).code == "X"
