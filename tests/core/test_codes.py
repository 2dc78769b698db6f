"""Identifier codes: GB 32100-2015 credit codes, GB 11714-1997 organisation codes, GB 11643-1999 resident IDs.

Examples are the standards' own (../shared/reference/REFERENCE.md) and real published codes.
"""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from ftzsafety.core.codes import (
    USCC_ALPHABET,
    CodeProblem,
    org_code_check_character,
    resident_id_check_character,
    resident_id_validate,
    uscc_check_character,
    uscc_is_valid,
    uscc_make,
    uscc_validate,
)

VALID_USCC = "914403001922038216"  # a real, published code


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (the msgids); zh-hans is the default language."""
    with translation.override("en"):
        yield


def problem(value: str, **kwargs: bool) -> CodeProblem:
    with pytest.raises(CodeProblem) as exc:
        uscc_validate(value, **kwargs)
    return exc.value


class TestUsccValidate:
    def test_standard_example_is_invalid_expected_3(self):
        """GB 32100-2015's own example has a wrong check character; it should be 3."""
        p = problem("91350100M000100Y4Z")
        # Z is outside the alphabet, so this is a character problem (never overridable) that still names the 3
        assert (p.kind, p.position, p.expected) == ("character", 18, "3")
        assert "“3”" in p.message
        assert "“Z”" in p.message
        assert problem("91350100M000100Y4Z", allow_bad_check=True).kind == "character"
        assert problem("91350100M000100Y44").expected == "3"
        assert uscc_validate("91350100M000100Y43") == "91350100M000100Y43"

    def test_issue_example_expects_6(self):
        p = problem("914403001922038217")
        assert (p.kind, p.position, p.expected) == ("check", 18, "6")
        assert "“6”" in p.message
        assert uscc_validate(VALID_USCC) == VALID_USCC

    def test_check_character_function(self):
        assert uscc_check_character("91440300192203821") == "6"
        assert uscc_check_character("91350100M000100Y4") == "3"

    def test_lower_case_and_spaces_normalised(self):
        assert uscc_validate("  91350100m000100y43 ") == "91350100M000100Y43"

    @pytest.mark.parametrize("value", ["", "   ", None])
    def test_empty(self, value):
        p = problem(value)
        assert p.kind == "empty"
        assert "18" in p.message

    @pytest.mark.parametrize("value", ["91440300192203821", "9144030019220382166", "9144"])
    def test_wrong_length_names_length(self, value):
        p = problem(value)
        assert p.kind == "length"
        assert p.position is None
        assert str(len(value)) in p.message
        assert "18" in p.message

    @pytest.mark.parametrize(
        ("value", "position", "char"),
        [
            ("I14403001922038216", 1, "I"),
            ("91440300192203821O", 18, "O"),  # the check position: also names the expected 6
            ("9144030019220S8216", 14, "S"),
            ("91440300192203-216", 15, "-"),
            ("91440300192Z038216", 12, "Z"),
            ("9144030019220V8216", 14, "V"),
        ],
    )
    def test_forbidden_character_names_its_position(self, value, position, char):
        p = problem(value)
        assert (p.kind, p.position, p.expected) == ("character", position, "6" if position == 18 else None)
        assert (str(position) if position < 18 else "check character") in p.message
        assert f"“{char}”" in p.message

    def test_length_and_characters_are_never_overridden(self):
        assert problem("9144030019220382", allow_bad_check=True).kind == "length"
        assert problem("9144030019220S8216", allow_bad_check=True).kind == "character"

    def test_override_lets_only_a_bad_check_character_through(self):
        assert uscc_validate("914403001922038217", allow_bad_check=True) == "914403001922038217"
        assert not uscc_is_valid("914403001922038217")
        assert uscc_is_valid(VALID_USCC)

    def test_position_one_may_be_a_letter(self):
        """Registration authority can be a letter (e.g. N for trade unions, Y for others)."""
        code = uscc_make(authority="N", org_type="1", division="120116", org_code_body="MA05XB3K")
        assert code[0] == "N"
        assert uscc_is_valid(code)


_alphabet = st.sampled_from(USCC_ALPHABET)
_digits = st.sampled_from("0123456789")


@st.composite
def uscc_parts(draw: st.DrawFn) -> dict[str, str]:
    return {
        "authority": draw(_alphabet),
        "org_type": draw(_alphabet),
        "division": "".join(draw(st.lists(_digits, min_size=6, max_size=6))),
        "org_code_body": "".join(draw(st.lists(_alphabet, min_size=8, max_size=8))),
    }


class TestUsccProperties:
    @given(uscc_parts())
    def test_made_codes_always_validate(self, parts):
        code = uscc_make(**parts)
        assert len(code) == 18
        assert uscc_validate(code) == code
        # the organisation code inside carries its own GB 11714 check character
        assert code[16] == org_code_check_character(code[8:16])

    @given(uscc_parts(), st.integers(min_value=0, max_value=17), st.characters(codec="ascii"))
    def test_any_single_character_change_is_detected(self, parts, index, replacement):
        code = uscc_make(**parts)
        replacement = replacement.upper()
        if replacement == code[index]:
            return
        changed = code[:index] + replacement + code[index + 1 :]
        with pytest.raises(CodeProblem) as exc:
            uscc_validate(changed)
        if replacement in USCC_ALPHABET:
            assert exc.value.kind == "check"
        else:
            assert exc.value.kind in {"character", "length"}  # whitespace is stripped: the code gets shorter

    def test_make_refuses_characters_outside_the_alphabet(self):
        with pytest.raises(ValueError, match="credit-code body"):
            uscc_make(authority="9", org_type="1", division="12011I", org_code_body="MA05XB3K")


class TestOrganisationCode:
    """GB 11714-1997: weights 3 7 9 10 5 8 4 2, C9 = 11 − (Σ mod 11), 10 → X, 11 → 0."""

    @pytest.mark.parametrize(
        ("body", "check"),
        [
            ("19220382", "1"),  # inside 914403001922038216
            ("M000100Y", "4"),  # inside the GB 32100 example 91350100M000100Y4Z
            ("12345678", "8"),
            ("D2143569", "X"),  # letters count 10…35; remainder 1 gives X
            ("00000000", "0"),  # remainder 0 gives 11, written 0
        ],
    )
    def test_check_character(self, body, check):
        assert org_code_check_character(body) == check


class TestResidentId:
    @pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
    def test_standard_examples_are_valid(self, number):
        assert resident_id_validate(number) == number

    def test_lower_case_x_normalised(self):
        assert resident_id_validate(" 11010519491231002x ") == "11010519491231002X"

    def test_bad_check_names_expected(self):
        with pytest.raises(CodeProblem) as exc:
            resident_id_validate("110105194912310021")
        assert (exc.value.kind, exc.value.expected) == ("check", "X")
        assert "“X”" in exc.value.message
        assert resident_id_check_character("44052418800101001") == "4"

    @pytest.mark.parametrize("number", ["110105194902301234", "110105194913011234", "110105000001011234"])
    def test_impossible_birth_date(self, number):
        """30 February, month 13, year 0."""
        with pytest.raises(CodeProblem) as exc:
            resident_id_validate(number)
        assert exc.value.kind == "birth_date"

    @pytest.mark.parametrize(("number", "kind"), [("1101051949123100", "length"), ("11010519491231002Y", "character")])
    def test_length_and_characters(self, number, kind):
        with pytest.raises(CodeProblem) as exc:
            resident_id_validate(number)
        assert exc.value.kind == kind
