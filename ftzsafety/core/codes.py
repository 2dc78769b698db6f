"""Identifier codes of the People's Republic of China: validation and (for demo data) generation.

- Unified social credit code (统一社会信用代码), GB 32100-2015.
- Organisation code (组织机构代码), GB 11714-1997: positions 9–17 of a credit code.
- Resident identity number (公民身份号码), GB 11643-1999, check character per ISO 7064 MOD 11-2.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^(i-1) mod 31
USCC_LENGTH = 18

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class CodeProblem(Exception):
    """Why a code is not valid. `kind` is one of: empty, length, character, check."""

    kind: str
    message: str
    position: int | None = None
    expected: str | None = None

    def __str__(self) -> str:
        return self.message


_USCC_VALUE = {ch: value for value, ch in enumerate(USCC_ALPHABET)}  # a dict lookup: bulk imports check every row


def uscc_check_character(first17: str) -> str:
    """The check character for the first 17 characters (GB 32100-2015 §4.3)."""
    value = _USCC_VALUE
    try:
        total = sum([value[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True)])
    except KeyError:
        raise ValueError(f"not a credit-code character in {first17!r}") from None
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_normalise(value: str) -> str:
    return (value or "").strip().upper()


def uscc_validate(value: str, *, allow_bad_check: bool = False) -> str:
    """Return the normalised code or raise CodeProblem naming what is wrong.

    Length and characters are always enforced. A wrong check character can be let through only
    by an explicit, audited override (`allow_bad_check`), because some early pilot-region codes
    were issued with failing checksums (REFERENCE.md).
    """
    code = uscc_normalise(value)
    if not code:
        raise CodeProblem("empty", _("The credit code is empty; 18 characters are required."))
    if len(code) != USCC_LENGTH:
        raise CodeProblem(
            "length",
            _("The credit code must have 18 characters; “%(code)s” has %(n)d.") % {"code": code, "n": len(code)},
        )
    for position, ch in enumerate(code, start=1):
        if ch not in USCC_ALPHABET and position == USCC_LENGTH:
            # Positions 1–17 are sound, so the check character they call for can be named (GB 32100-2015 §4.3),
            # e.g. the standard's own example 91350100M000100Y4Z (expected 3). Still never overridable.
            expected = uscc_check_character(code[:17])
            raise CodeProblem(
                "character",
                _(
                    "The check character of the credit code, “%(ch)s”, is not allowed "
                    "(digits and capital letters except I, O, Z, S, V): expected “%(expected)s”."
                )
                % {"ch": ch, "expected": expected},
                position=position,
                expected=expected,
            )
        if ch not in USCC_ALPHABET:
            raise CodeProblem(
                "character",
                _(
                    "Character %(position)d of the credit code, “%(ch)s”, is not allowed "
                    "(digits and capital letters except I, O, Z, S, V)."
                )
                % {"position": position, "ch": ch},
                position=position,
            )
    expected = uscc_check_character(code[:17])
    if code[17] != expected and not allow_bad_check:
        raise CodeProblem(
            "check",
            _("The check character of the credit code is wrong: expected “%(expected)s”, found “%(found)s”.")
            % {"expected": expected, "found": code[17]},
            position=18,
            expected=expected,
        )
    return code


def uscc_is_valid(value: str) -> bool:
    try:
        uscc_validate(value)
    except CodeProblem:
        return False
    return True


def org_code_check_character(first8: str) -> str:
    """GB 11714-1997 check character of an organisation code (digits and capital letters, A=10 … Z=35)."""
    total = sum(int(ch, 36) * w for ch, w in zip(first8, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def uscc_make(*, authority: str, org_type: str, division: str, org_code_body: str) -> str:
    """Build a valid credit code: authority (1) + type (1) + division (6) + organisation code (8 + check) + check."""
    org_code = org_code_body + org_code_check_character(org_code_body)
    first17 = authority + org_type + division + org_code
    if len(first17) != 17 or any(ch not in USCC_ALPHABET for ch in first17):
        raise ValueError(f"not a credit-code body: {first17!r}")
    return first17 + uscc_check_character(first17)


def resident_id_check_character(first17: str) -> str:
    """GB 11643-1999 check character (ISO 7064 MOD 11-2)."""
    total = sum(int(ch) * w for ch, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def resident_id_validate(value: str) -> str:
    """Return the normalised 18-character resident ID number or raise CodeProblem."""
    number = (value or "").strip().upper()
    if len(number) != 18:
        raise CodeProblem("length", _("A resident ID number has 18 characters."))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise CodeProblem("character", _("A resident ID number is 17 digits and a digit or X."))
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise CodeProblem("birth_date", _("The birth date in the resident ID number is not a date.")) from None
    expected = resident_id_check_character(number[:17])
    if number[17] != expected:
        raise CodeProblem(
            "check",
            _("The check character of the resident ID number is wrong: expected “%(expected)s”.")
            % {"expected": expected},
            expected=expected,
        )
    return number
