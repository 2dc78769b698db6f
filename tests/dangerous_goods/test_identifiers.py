"""Typed identifiers: UN numbers, classes, CAS numbers and name keys."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftzsafety.dangerous_goods.identifiers import (
    base_name,
    cas_is_valid,
    class_division,
    match_key,
    parse_cas,
    parse_hazard_class,
    parse_un_number,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1017", "UN1017"),
        ("UN1017", "UN1017"),
        ("un 1017", "UN1017"),
        ("Un1017", "UN1017"),
        (" UN 1017 ", "UN1017"),
        ("UN-1017", "UN1017"),
        ("ＵＮ１０１７", "UN1017"),
        ("0004", "UN0004"),
    ],
)
def test_un_numbers_are_normalised(typed, expected):
    assert parse_un_number(typed) == expected


@pytest.mark.parametrize("typed", ["", "101", "10170", "UN10A7", "NA1993", "UN", "chlorine", "1017.0"])
def test_malformed_un_numbers_are_refused_with_an_example(typed):
    with pytest.raises(ValueError, match="UN1017"):
        parse_un_number(typed)


@given(st.integers(min_value=0, max_value=9999), st.sampled_from(["", "UN", "un", "Un ", "UN "]))
def test_every_four_digit_number_round_trips(number, prefix):
    assert parse_un_number(f"{prefix}{number:04d}") == f"UN{number:04d}"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("3", "3"), ("5.1", "5.1"), ("1.1d", "1.1D"), ("１.４Ｓ", "1.4S"), (" 2.3 ", "2.3"), ("9", "9")],
)
def test_classes_are_normalised(typed, expected):
    assert parse_hazard_class(typed) == expected


@pytest.mark.parametrize("typed", ["", "0", "10", "3D", "1D", "1.7", "5.1D", "1.1Z", "x"])
def test_malformed_classes_are_refused(typed):
    with pytest.raises(ValueError, match=r"1\.1D"):
        parse_hazard_class(typed)


@pytest.mark.parametrize(("hazard_class", "division"), [("1.1D", "1.1"), ("1.4S", "1.4"), ("5.1", "5.1"), ("3", "3")])
def test_class_division_drops_the_compatibility_letter(hazard_class, division):
    assert class_division(hazard_class) == division


@pytest.mark.parametrize("cas", ["7782-50-5", "7664-41-7", "74-82-8", "8006-14-2", "1333-74-0", "50-00-0"])
def test_real_cas_numbers_pass_the_check_digit(cas):
    assert cas_is_valid(cas)


@pytest.mark.parametrize("cas", ["7782-50-4", "7782-5-5", "abc", "", "7782505"])
def test_wrong_cas_numbers_fail(cas):
    assert not cas_is_valid(cas)


def test_full_width_cas_is_accepted():
    assert parse_cas("７７８２－５０－５") == "7782-50-5"


def test_match_key_ignores_width_case_and_spaces():
    assert match_key("氯 气") == match_key("氯气")
    assert match_key("Ｃｈｌｏｒｉｎｅ") == match_key("chlorine")
    assert match_key("氯化氢（无水）") == match_key("氯化氢(无水)")


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("氯化氢(无水)", "氯化氢"),
        ("氧(压缩的或液化的)", "氧"),
        ("液化石油气(含丙烷、丁烷及其混合物)", "液化石油气"),
        ("氯", ""),
    ],
)
def test_base_name_drops_the_qualifier(name, base):
    assert base_name(name) == base
