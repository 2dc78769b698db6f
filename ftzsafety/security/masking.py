"""Masking (脱敏) of personal and commercial data, driven by each model's `sensitive_fields` declaration.

Rules follow GB/T 35273-2020 §6.2 (de-identification at display), GB/T 37964-2019 and the common practice of
the public-security and banking sectors (JR/T 0171-2020 §7.1.2 examples): a resident ID number keeps its first
six digits (the issuing division) and its last four, a mobile number its first three and last four, a name its
surname, an address its division down to the district.

Who sees what clear (`clear_fields`): the organisation that owns a row and the enterprise the row is about see
every field; anyone else sees the declared sensitive fields masked, except the fields a live access grant of
theirs covers (issue 3, item 5).

`mask_text` scans free text (log lines, exports) for resident ID numbers (GB 11643-1999 check character), credit
codes (GB 32100-2015 check character) and mainland mobile numbers, and masks them.
"""

import math
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Model

from ftzsafety.core.codes import CodeProblem, org_code_check_character, resident_id_validate, uscc_validate
from ftzsafety.core.models import SensitiveKind

__all__ = [
    "MASK",
    "SensitiveKind",
    "clear_fields",
    "mask",
    "mask_address",
    "mask_bank_account",
    "mask_commercial_figure",
    "mask_email",
    "mask_instance",
    "mask_instances",
    "mask_person_name",
    "mask_phone",
    "mask_resident_id",
    "mask_text",
    "mask_uscc",
    "mask_values",
    "sensitive_fields_of",
]

MASK = "***"
STAR = "*"


def _keep(value: str, head: int, tail: int) -> str:
    """Keep `head` leading and `tail` trailing characters, star the rest; short values are starred entirely."""
    if len(value) <= head + tail:
        return STAR * len(value) if value else ""
    return value[:head] + STAR * (len(value) - head - tail) + value[len(value) - tail :]


def mask_resident_id(value: str) -> str:
    """`110105194912310021` → `110105********0021`: the issuing division and the last four stay."""
    text = (value or "").strip()
    if len(text) >= 15:
        return _keep(text, 6, 4)
    return _keep(text, 1, 1) if len(text) > 2 else STAR * len(text)


_MOBILE_DIGITS = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")


def mask_phone(value: str) -> str:
    """`13812345678` → `138****5678`; a landline keeps its area code and last four (`022-****5678`).

    Separators and a `+86` prefix stay where they were; only digits are starred.
    """
    text = (value or "").strip()
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    if not digits:
        return MASK if text else ""
    only_digits = "".join(text[i] for i in digits)
    keep: set[int] = set()
    if _MOBILE_DIGITS.match(only_digits):
        body = digits[-11:]
        keep.update(digits[: len(digits) - 11])  # the country code
        keep.update(body[:3] + body[-4:])
    else:
        # Area code: the digits before the first separator, when there is one (e.g. 022-, 0755 ).
        first_sep = next((i for i in range(digits[0], len(text)) if not text[i].isdigit()), None)
        if first_sep is not None and first_sep < digits[-1] and text[digits[0]] == "0":
            keep.update(i for i in digits if i < first_sep)
        keep.update(digits[-4:] if len(digits) > 6 else digits[-2:])
    return "".join(ch if (i in keep or not ch.isdigit()) else STAR for i, ch in enumerate(text))


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\U00020000" <= ch <= "\U0002ffff"


def mask_person_name(value: str) -> str:
    """`张三` → `张*`, `欧阳娜娜` → `欧***`; `John Smith` → `J*** S****` (the first letter of each word)."""
    text = (value or "").strip()
    if not text:
        return ""
    if any(_is_cjk(ch) for ch in text):
        chars = [ch for ch in text if not ch.isspace()]
        # A dot joins the parts of a transliterated name (阿卜杜·热合曼): keep it, star the rest.
        return chars[0] + "".join(ch if ch in "·•・" else STAR for ch in chars[1:]) if len(chars) > 1 else STAR
    words = re.split(r"(\s+|-)", text)
    return "".join(w if (not w or w.isspace() or w == "-") else w[0] + STAR * (len(w) - 1) for w in words)


_PROVINCE = r"[^\d\s,，]{1,7}?(?:省|自治区|特别行政区)"
_CITY = r"[^\d\s,，]{1,8}?(?:市|自治州|州|盟|地区)"
_DISTRICT = r"[^\d\s,，]{1,8}?(?:区|县|旗|市)"
_DIVISIONS = re.compile(rf"^(?:{_PROVINCE})?(?:{_CITY})?(?:{_DISTRICT})?")


def mask_address(value: str) -> str:
    """Keep the administrative divisions down to the district (`天津市滨海新区***`); the street, building and
    number go. An English address keeps its last parts (`***, Binhai New Area, Tianjin`)."""
    text = (value or "").strip()
    if not text:
        return ""
    if any(_is_cjk(ch) for ch in text):
        kept = _DIVISIONS.match(text)
        prefix = kept.group(0) if kept else ""
        return prefix + MASK if prefix != text else prefix
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) <= 2:
        return MASK
    tail = [p for p in parts[-2:] if not any(ch.isdigit() for ch in p)]
    return ", ".join([MASK, *tail])


def _as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def mask_commercial_figure(value: Any) -> str:
    """A figure becomes its order of magnitude: 3,456,789 → `1,000,000–10,000,000`; anything else → `***`."""
    number = _as_number(value)
    if number is None or number == 0:
        return MASK
    magnitude = abs(number)
    if magnitude < 1:
        return MASK
    low = 10 ** math.floor(math.log10(magnitude))
    if Decimal(low) > magnitude:  # floating-point log just under a power of ten
        low //= 10
    elif Decimal(low * 10) <= magnitude:
        low *= 10
    figure = f"{low:,}–{low * 10:,}"
    return f"-({figure})" if number < 0 else figure


def mask_email(value: str) -> str:
    """`zhangsan@example.com` → `z*******@example.com`."""
    text = (value or "").strip()
    local, at, domain = text.partition("@")
    if not at:
        return _keep(text, 1, 0)
    return _keep(local, 1, 0) + "@" + domain


def mask_uscc(value: str) -> str:
    """A credit code keeps its registration authority, type and division (8) and its last two."""
    return _keep((value or "").strip(), 8, 2)


def mask_bank_account(value: str) -> str:
    """Only the last four digits stay (JR/T 0171-2020 §7.1.2)."""
    text = re.sub(r"\s+", "", value or "")
    return _keep(text, 0, 4)


MASKERS: dict[str, Callable[[Any], str]] = {
    SensitiveKind.PERSON_NAME: mask_person_name,
    SensitiveKind.RESIDENT_ID: mask_resident_id,
    SensitiveKind.PHONE: mask_phone,
    SensitiveKind.EMAIL: mask_email,
    SensitiveKind.ADDRESS: mask_address,
    SensitiveKind.COMMERCIAL_FIGURE: mask_commercial_figure,
    SensitiveKind.USCC: mask_uscc,
    SensitiveKind.BANK_ACCOUNT: mask_bank_account,
    SensitiveKind.FREE_TEXT: lambda value: mask_text(str(value)),
}


def mask(kind: str, value: Any) -> Any:
    """Mask one value of a declared kind. Empty values stay empty (None stays None)."""
    if value is None or value == "":
        return value
    masker = MASKERS.get(kind)
    if masker is None:
        return MASK
    return masker(value if kind == SensitiveKind.COMMERCIAL_FIGURE else str(value))


# --- free text -----------------------------------------------------------------------------------------

_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_USCC_RE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{18}(?![0-9A-Za-z])")
# 1[3-9]x xxxx xxxx, optionally grouped 3-4-4 with a space or hyphen; not part of a longer number or of a token
# of letters and digits (a hash, an order id), where masking would corrupt the token rather than protect a phone.
_MOBILE_RE = re.compile(r"(?<![\dA-Za-z*])1[3-9]\d(?P<s1>[ -]?)\d{4}(?P=s1)\d{4}(?![\dA-Za-z*])")
# Registration authorities of GB 32100-2015 Table 1.
_USCC_AUTHORITIES = frozenset("123456789ANY")


def _is_resident_id(candidate: str) -> bool:
    try:
        resident_id_validate(candidate)
    except CodeProblem:
        return False
    return True


def _is_credit_code(candidate: str) -> bool:
    """A credit code: a registration authority of Table 1, a six-digit division, the check character of the
    organisation code inside it (GB 11714-1997) and of the whole code (GB 32100-2015 §4.3)."""
    code = candidate.upper()
    if code[0] not in _USCC_AUTHORITIES or not code[2:8].isdigit():
        return False
    try:
        uscc_validate(code)
        if org_code_check_character(code[8:16]) != code[16]:
            return False
    except (CodeProblem, ValueError):
        return False
    return True


def mask_text(text: str) -> str:
    """Mask resident ID numbers, credit codes and mobile numbers in free text. Numbers that fail their check
    character (an order number, a random 18-digit string) are left as they are."""
    if not text:
        return text
    text = _ID_RE.sub(lambda m: mask_resident_id(m.group(0)) if _is_resident_id(m.group(0)) else m.group(0), text)
    text = _USCC_RE.sub(lambda m: mask_uscc(m.group(0)) if _is_credit_code(m.group(0)) else m.group(0), text)
    return _MOBILE_RE.sub(lambda m: mask_phone(m.group(0)), text)


# --- schema-driven masking ------------------------------------------------------------------------------


def sensitive_fields_of(model_or_obj: Any) -> dict[str, str]:
    """The declared sensitive fields (field → kind) of a model or an instance; {} when it declares none."""
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    return dict(getattr(model, "sensitive_fields", {}) or {})


def mask_values(values: Mapping[str, Any], kinds: Mapping[str, str], clear: Iterable[str] = ()) -> dict[str, Any]:
    """A copy of `values` with every field in `kinds` masked, except the fields in `clear`."""
    clear_set = set(clear)
    return {
        name: (mask(kinds[name], value) if name in kinds and name not in clear_set else value)
        for name, value in values.items()
    }


def _enterprise_organisation_id(obj: Model) -> Any:
    """The accounts Organisation id of the enterprise the row is about (its `authz_enterprise_path`)."""
    path = getattr(type(obj), "authz_enterprise_path", None)
    if not path:
        return None
    *hops, last = path.split("__")
    target: Any = obj
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


def is_owner_viewer(viewer: Any, obj: Model) -> bool:
    """The owning organisation, or the enterprise the row is about, reads its own data in clear."""
    if not (viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.is_active):
        return False
    if viewer.organisation_id is None or getattr(viewer, "is_platform_admin", False):
        return False
    if getattr(obj, "owner_id", None) == viewer.organisation_id and (viewer.is_government or viewer.is_enterprise_user):
        return True
    return bool(viewer.is_enterprise_user and _enterprise_organisation_id(obj) == viewer.organisation_id)


def clear_fields(viewer: Any, obj: Model, *, grants: Iterable[Any] | None = None) -> frozenset[str]:
    """The declared sensitive fields of `obj` that `viewer` may read unmasked.

    `grants`: the viewer's live grants for obj's model, when the caller already has them (lists: load them once
    with `security.selectors.grants_live_for`); otherwise they are looked up (one query).
    """
    kinds = sensitive_fields_of(obj)
    if not kinds:
        return frozenset()
    if is_owner_viewer(viewer, obj):
        return frozenset(kinds)
    if not (viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.is_active):
        return frozenset()
    if getattr(viewer, "is_platform_admin", False):
        return frozenset()
    if grants is None:
        from ftzsafety.security.selectors import grants_live_for

        grants = grants_live_for(viewer, type(obj)._meta.label_lower, obj)
    cleared: set[str] = set()
    for grant in grants:
        if grant.object_id is not None and grant.object_id != obj.pk:
            continue
        if grant.object_id is None and grant.owner_id != getattr(obj, "owner_id", None):
            continue
        cleared.update(name for name in grant.fields if name in kinds)
    return frozenset(cleared)


def _field_values(obj: Model, fields: Iterable[str] | None) -> dict[str, Any]:
    if fields is None:
        fields = [f.name for f in obj._meta.concrete_fields]
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        values[name] = getattr(obj, field.attname) if getattr(field, "is_relation", False) else getattr(obj, name)
    return values


def mask_instance(
    viewer: Any, obj: Model, fields: Iterable[str] | None = None, *, grants: Iterable[Any] | None = None
) -> dict[str, Any]:
    """The values of `obj` (its concrete fields, or `fields`) as `viewer` may see them: declared sensitive fields
    are masked unless the viewer's clearance for this row covers them. Foreign keys come as ids."""
    kinds = sensitive_fields_of(obj)
    values = _field_values(obj, fields)
    if not kinds:
        return values
    return mask_values(values, kinds, clear_fields(viewer, obj, grants=grants))


def mask_instances(viewer: Any, objs: Iterable[Model], fields: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """`mask_instance` for a list of rows of one model, loading the viewer's grants once."""
    rows = list(objs)
    if not rows:
        return []
    model = type(rows[0])
    grants = None
    if sensitive_fields_of(model):
        from ftzsafety.security.selectors import grants_live_for

        grants = list(grants_live_for(viewer, model._meta.label_lower))
    field_list = list(fields) if fields is not None else None
    return [mask_instance(viewer, obj, field_list, grants=grants) for obj in rows]
