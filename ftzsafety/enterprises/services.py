"""Writes to the registry. Each validates everything first and writes nothing when a rule fails."""

import math
import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from ftzsafety import audit
from ftzsafety.accounts.selectors import zone_administration
from ftzsafety.core import authz
from ftzsafety.core.codes import CodeProblem, resident_id_validate, uscc_validate
from ftzsafety.core.errors import Conflict, PermissionDenied, ValidationFailed
from ftzsafety.core.models import Classification
from ftzsafety.enterprises import policies, search
from ftzsafety.enterprises.choices import FOREIGN_FORMS, ContactRole, IndustrySection, OrganisationForm
from ftzsafety.enterprises.models import Enterprise, EnterpriseContact, IndustryClass, ZoneArea

MAX_LENGTHS = {"name_zh": 200, "name_en": 300, "address": 300, "business_scope": 4000}


def _snapshot(enterprise: Enterprise) -> dict[str, Any]:
    """Registry fields as JSON-safe values, for the audit record's before/after."""
    data = {}
    for name in policies.REGISTRY_FIELDS:
        value = getattr(enterprise, f"{name}_id" if name in {"industry_class", "area"} else name)
        if name == "area" and value is not None:
            value = enterprise.area.code
        data[name] = str(value) if name == "investor_country" else value
    data["uscc"] = enterprise.uscc
    return data


def _clean(values: dict[str, Any], *, current: Enterprise | None) -> dict[str, Any]:
    """Validate and coerce `values` (registry field → raw value); raise ValidationFailed listing every bad field."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for field in ("name_zh", "name_en", "address", "business_scope"):
        if field in values:
            text = (values[field] or "").strip()
            if len(text) > MAX_LENGTHS[field]:
                fail(field, _("At most %(n)d characters.") % {"n": MAX_LENGTHS[field]})
            clean[field] = text
    if "name_zh" in values and not clean.get("name_zh"):
        fail("name_zh", _("The Chinese name is required."))

    if "organisation_form" in values:
        if values["organisation_form"] not in OrganisationForm.values:
            fail("organisation_form", _("Choose one of the listed organisation forms."))
        clean["organisation_form"] = values["organisation_form"]

    if "foreign_invested" in values:
        clean["foreign_invested"] = bool(values["foreign_invested"])
    if "investor_country" in values:
        code = (values["investor_country"] or "").strip().upper()
        if code and code not in countries:
            fail("investor_country", _("“%(code)s” is not an ISO 3166 country code.") % {"code": code})
        clean["investor_country"] = code

    if "industry_section" in values:
        if values["industry_section"] not in IndustrySection.values:
            fail("industry_section", _("Choose a GB/T 4754-2017 section (A–T)."))
        clean["industry_section"] = values["industry_section"]
    if "industry_class" in values:
        code = (values["industry_class"] or "").strip()
        industry_class = IndustryClass.objects.filter(pk=code).first() if code else None
        if code and industry_class is None:
            fail("industry_class", _("“%(code)s” is not a known GB/T 4754-2017 class.") % {"code": code})
        clean["industry_class"] = industry_class

    if "area" in values:
        code = (values["area"] or "").strip()
        area = ZoneArea.objects.filter(code=code).first() if code else None
        if code and area is None:
            fail("area", _("“%(code)s” is not an area of this zone.") % {"code": code})
        clean["area"] = area

    for field, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        if field in values:
            raw = values[field]
            if raw in (None, ""):
                clean[field] = None
                continue
            try:
                number = float(raw)
            except (TypeError, ValueError):
                fail(field, _("Enter a number."))
                continue
            if not math.isfinite(number) or not low <= number <= high:
                fail(field, _("Must be between %(low)d and %(high)d.") % {"low": low, "high": high})
            clean[field] = number

    if "classification" in values:
        if values["classification"] not in Classification.values:
            fail("classification", _("Choose public, internal or confidential."))
        clean["classification"] = values["classification"]

    # Rules across fields, judged on the record as it will be after the change.
    def final(field: str) -> Any:
        return clean[field] if field in clean else getattr(current, field, None)

    if not errors:
        if final("organisation_form") in FOREIGN_FORMS and not final("foreign_invested"):
            fail("foreign_invested", _("A wholly foreign-owned enterprise or joint venture is foreign-invested."))
        if final("foreign_invested") and not final("investor_country"):
            fail("investor_country", _("Give the investor's country for a foreign-invested enterprise."))
        if not final("foreign_invested") and final("investor_country"):
            fail("investor_country", _("Only a foreign-invested enterprise has an investor country."))
        industry_class = final("industry_class")
        if industry_class is not None and industry_class.section != final("industry_section"):
            fail(
                "industry_class",
                _("Class %(code)s belongs to section %(section)s.")
                % {"code": industry_class.code, "section": industry_class.section},
            )
        if (final("latitude") is None) != (final("longitude") is None):
            fail("latitude", _("Give both latitude and longitude, or neither."))
    if errors:
        raise ValidationFailed.for_fields(errors)
    return clean


def enterprise_create(
    *, actor: Any, uscc: str, values: dict[str, Any], override_check_character: bool = False, is_demo: bool = False
) -> Enterprise:
    """Register an enterprise under its unified social credit code (GB 32100-2015).

    A code with a wrong length or character is refused. A wrong check character is refused with the
    expected one named, unless a registry keeper explicitly overrides it (some early pilot-region codes
    were issued that way); the override is recorded on the row and in the audit trail.
    A refusal is recorded outside the write transaction so that it stays on record (GB/T 22239-2019
    §8.1.4.3: denied access is audited).
    """
    denied = ""
    if not policies.can_create(actor):
        denied = _("You may not register enterprises.")
    elif override_check_character and not policies.can_override_check_character(actor):
        denied = _("You may not override a credit-code check.")
    if denied:
        audit.record(
            actor=actor,
            action="enterprises.enterprise.create",
            outcome="denied",
            detail={"uscc": str(uscc or "")[:64], "override_check_character": bool(override_check_character)},
        )
        raise PermissionDenied(denied)
    return _enterprise_create(
        actor=actor, uscc=uscc, values=values, override_check_character=override_check_character, is_demo=is_demo
    )


@transaction.atomic
def _enterprise_create(
    *, actor: Any, uscc: str, values: dict[str, Any], override_check_character: bool, is_demo: bool
) -> Enterprise:
    errors: dict[str, list[str]] = {}
    code = ""
    try:
        code = uscc_validate(uscc, allow_bad_check=override_check_character)
    except CodeProblem as problem:
        errors["uscc"] = [_("Unified social credit code: %(problem)s") % {"problem": problem.message}]
    required = {"name_zh", "organisation_form", "industry_section"}
    for field in sorted(required - {k for k, v in values.items() if v not in (None, "")}):
        errors.setdefault(field, []).append(_("This field is required."))
    unknown = set(values) - set(policies.REGISTRY_FIELDS)
    for field in sorted(unknown):
        errors.setdefault(field, []).append(_("Unknown field."))
    try:
        clean = _clean({k: v for k, v in values.items() if k not in unknown}, current=None)
    except ValidationFailed as exc:
        for field, messages in exc.fields.items():
            errors.setdefault(field, []).extend(messages)
        clean = {}
    if errors:
        raise ValidationFailed.for_fields(errors)
    if Enterprise.objects.filter(uscc=code).exists():
        raise Conflict(
            _("An enterprise with credit code %(uscc)s is already registered.") % {"uscc": code},
            code="duplicate_uscc",
            extra={"uscc": code},
        )
    bad_check = not _check_ok(code)
    enterprise = Enterprise(
        uscc=code,
        uscc_check_override=bool(bad_check),
        owner=zone_administration(),
        created_by=actor,
        is_demo=is_demo,
        **clean,
    )
    enterprise.save()
    search.index_enterprise(enterprise)
    audit.record(
        actor=actor,
        username="system" if actor is None else "",  # actor=None: the system (demo seed, CLI)
        action="enterprises.enterprise.create",
        target=enterprise,
        after=_snapshot(enterprise),
        classification=enterprise.classification,
        detail={"check_character_override": bool(bad_check)},
    )
    # Department data that named this enterprise before it was registered waits as a pending registration
    # (issue 4, item 3): link it now, in the same transaction.
    from ftzsafety.exchange.services import pending_registrations_link_registered

    pending_registrations_link_registered(actor=actor, enterprise=enterprise)
    return enterprise


def _check_ok(code: str) -> bool:
    try:
        uscc_validate(code)
    except CodeProblem:
        return False
    return True


def enterprise_update(*, actor: Any, uscc: str, values: dict[str, Any]) -> Enterprise:
    """Change registry fields. Enterprises may change only their own self-service fields.

    A refusal (403) is recorded after the write transaction has rolled back, so that it stays on record
    (GB/T 22239-2019 §8.1.4.3: denied access is audited) while nothing else is written.
    """
    try:
        return _enterprise_update(actor=actor, uscc=uscc, values=values)
    except PermissionDenied as denied:
        audit.record(
            actor=actor,
            action="enterprises.enterprise.update",
            target=Enterprise.objects.filter(uscc=(uscc or "").strip().upper()).first(),
            outcome="denied",
            detail={"fields": sorted(denied.extra.get("fields", {}))},
        )
        raise


@transaction.atomic
def _enterprise_update(*, actor: Any, uscc: str, values: dict[str, Any]) -> Enterprise:
    enterprise = authz.get_visible(actor, Enterprise.objects.select_for_update(), uscc=(uscc or "").strip().upper())
    allowed = set(policies.editable_fields(actor, enterprise))
    if not allowed:
        raise PermissionDenied(_("You may not change this enterprise."))
    if "uscc" in values:
        try:
            same_code = uscc_validate(values["uscc"], allow_bad_check=True) == enterprise.uscc
        except CodeProblem:
            same_code = False
        if not same_code:
            raise ValidationFailed.for_fields({"uscc": [_("The credit code cannot be changed.")]})
    values = {k: v for k, v in values.items() if k != "uscc"}
    unknown = sorted(set(values) - set(policies.REGISTRY_FIELDS))
    if unknown:
        raise ValidationFailed.for_fields({f: [_("Unknown field.")] for f in unknown})
    forbidden = sorted(set(values) - allowed)
    if forbidden:
        raise PermissionDenied(
            _("You may not change these fields: %(fields)s.") % {"fields": ", ".join(forbidden)},
            extra={"fields": {f: [_("You may not change this field.")] for f in forbidden}},
        )
    before = _snapshot(enterprise)
    clean = _clean(values, current=enterprise)
    for field, value in clean.items():
        setattr(enterprise, field, value)
    after = _snapshot(enterprise)
    changed = {k for k in after if after[k] != before[k]}
    if changed:
        enterprise.save()
        if changed & {"name_zh", "name_en", "business_scope"}:
            search.index_enterprise(enterprise)
        audit.record(
            actor=actor,
            action="enterprises.enterprise.update",
            target=enterprise,
            before={k: before[k] for k in sorted(changed)},
            after={k: after[k] for k in sorted(changed)},
            classification=enterprise.classification,
        )
    return enterprise


# --- responsible persons (confidential personal information) ----------------------------------------------------

PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\+\d{6,15})$")


def contact_set(
    *, actor: Any, uscc: str, role: str, name: str, resident_id: str = "", phone: str = "", is_demo: bool = False
) -> EnterpriseContact:
    """Record (or replace) the enterprise's person in `role` (安全生产法 第五条, 第二十五条).

    The row is confidential and owned by emergency management; name, ID number and phone are stored
    encrypted (个人信息保护法 第五十一条) and masked for anyone without a grant. A refusal is audited.
    """
    try:
        return _contact_set(
            actor=actor, uscc=uscc, role=role, name=name, resident_id=resident_id, phone=phone, is_demo=is_demo
        )
    except PermissionDenied:
        audit.record(actor=actor, action="enterprises.contact.set", outcome="denied", detail={"uscc": str(uscc)[:64]})
        raise


@transaction.atomic
def _contact_set(
    *, actor: Any, uscc: str, role: str, name: str, resident_id: str, phone: str, is_demo: bool
) -> EnterpriseContact:
    from ftzsafety.accounts.selectors import department_organisation

    uscc = (uscc or "").strip().upper()
    if actor is None:
        enterprise = Enterprise.objects.select_for_update().get(uscc=uscc)
    else:
        enterprise = authz.get_visible(actor, Enterprise.objects.select_for_update(), uscc=uscc)
        if not policies.can_manage_contacts(actor, enterprise):
            raise PermissionDenied(_("You may not change this enterprise's responsible persons."))
    errors: dict[str, list[str]] = {}
    if role not in ContactRole.values:
        errors["role"] = [_("Choose one of the listed roles.")]
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("The name is required.")]
    elif len(name) > 100:
        errors["name"] = [_("At most %(n)d characters.") % {"n": 100}]
    resident_id = (resident_id or "").strip()
    if resident_id:
        try:
            resident_id = resident_id_validate(resident_id)
        except CodeProblem as problem:
            errors["resident_id"] = [problem.message]
    phone = re.sub(r"[\s()]", "", phone or "")
    if phone and not PHONE_PATTERN.match(phone):
        errors["phone"] = [_("Enter a mobile number (11 digits), a landline with area code, or +country number.")]
    if errors:
        raise ValidationFailed.for_fields(errors)
    owner = department_organisation("emergency") or zone_administration()
    contact = EnterpriseContact.objects.select_for_update().filter(enterprise=enterprise, role=role).first()
    created = contact is None
    if created:
        contact = EnterpriseContact(enterprise=enterprise, role=role, owner=owner, created_by=actor, is_demo=is_demo)
    contact.name, contact.resident_id, contact.phone = name, resident_id, phone
    contact.save()
    # The audit trail masks ID numbers and phones in free text; names are not recorded at all.
    audit.record(
        actor=actor,
        username="system" if actor is None else "",
        action="enterprises.contact.set",
        target=contact,
        classification=contact.classification,
        detail={"uscc": enterprise.uscc, "role": role, "created": created},
    )
    return contact
