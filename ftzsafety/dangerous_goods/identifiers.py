"""Parsing and normalising the identifiers people type: UN numbers, classes, CAS numbers, names.

Pure functions, no database. Errors are `ValueError` with a message for people; callers turn them into
`ValidationFailed` naming the field.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

_UN_RE = re.compile(r"^(?:UN)?(\d{4})$")
_CLASS_RE = re.compile(r"^([1-9])(?:\.([1-6]))?([A-S])?$")
_CAS_RE = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """NFKC (full-width → half-width, ① → 1 …), case-folded, whitespace collapsed to single spaces."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().casefold()


def match_key(text: str) -> str:
    """The key two spellings of one name share: `fold` without any whitespace ("氯 气" = "氯气", "ＣＬ" = "cl")."""
    return _SPACES.sub("", fold(text))


def parse_un_number(raw: str) -> str:
    """`1017`, `UN1017`, `un 1017`, `ＵＮ１０１７` → `UN1017`. Anything else raises ValueError."""
    text = match_key(str(raw or "")).upper().replace("-", "")
    found = _UN_RE.match(text)
    if not found:
        raise ValueError(
            _("“%(value)s” is not a UN number: expected four digits, optionally after “UN” (e.g. UN1017 or 1017).")
            % {"value": str(raw or "")[:40]}
        )
    return f"UN{found.group(1)}"


def looks_like_un_number(raw: str) -> bool:
    try:
        parse_un_number(raw)
    except ValueError:
        return False
    return True


def parse_hazard_class(raw: str) -> str:
    """A class or division as printed: `3`, `5.1`, `1.1D`, `1.4S`; full-width and lower case accepted.

    Compatibility letters (A–S) belong to class 1 only (UN Model Regulations 2.1.2.4)."""
    text = match_key(str(raw or "")).upper()
    found = _CLASS_RE.match(text)
    if not found or (found.group(3) and found.group(1) != "1") or (found.group(3) and not found.group(2)):
        raise ValueError(
            _("“%(value)s” is not a dangerous-goods class or division (e.g. 3, 5.1, 2.3 or 1.1D).")
            % {"value": str(raw or "")[:40]}
        )
    return text


def class_division(hazard_class: str) -> str:
    """`1.1D` → `1.1`; `5.1` → `5.1`; `3` → `3`."""
    found = _CLASS_RE.match(hazard_class or "")
    if not found:
        return hazard_class
    return found.group(1) + (f".{found.group(2)}" if found.group(2) else "")


def class_number(hazard_class: str) -> str:
    return (hazard_class or "")[:1]


def cas_is_valid(cas: str) -> bool:
    """CAS Registry Number check digit: Σ (position from the right × digit) mod 10."""
    found = _CAS_RE.match(cas or "")
    if not found:
        return False
    digits = (found.group(1) + found.group(2))[::-1]
    return sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10 == int(found.group(3))


def parse_cas(raw: str) -> str:
    """`7664-41-7` (full-width digits and dashes, spaces accepted) → `7664-41-7`, check digit verified."""
    text = match_key(str(raw or "")).replace("‐", "-").replace("−", "-").replace("—", "-")
    if not cas_is_valid(text):
        raise ValueError(
            _("“%(value)s” is not a valid CAS number (e.g. 7782-50-5; the last digit is a check digit).")
            % {"value": str(raw or "")[:40]}
        )
    return text


def looks_like_cas(raw: str) -> bool:
    return bool(_CAS_RE.match(match_key(str(raw or ""))))


_PARENTHETICAL = re.compile(r"[(\[（［].*$")


def base_name(name: str) -> str:
    """A Table 1 name without its trailing qualifier: `氯化氢(无水)` → `氯化氢`, `氧(压缩的或液化的)` → `氧`."""
    stripped = _PARENTHETICAL.sub("", unicodedata.normalize("NFKC", name or "")).strip()
    return stripped if stripped and stripped != name else ""


PACKING_GROUP_ORDER = {"I": 1, "II": 2, "III": 3}


def sort_packing_groups(groups: set[str] | list[str]) -> list[str]:
    return sorted({g for g in groups if g}, key=lambda g: PACKING_GROUP_ORDER.get(g, 9))
