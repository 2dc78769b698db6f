"""Writes to the dangerous-goods lists and to enterprises' major-hazard units, and the checks other modules call
(`segregation_check`, `major_hazard_assess`). Each write validates everything first, writes nothing when a rule
fails, and records an audit row in the same transaction.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import ProtectedError
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext as _

from ftzsafety import audit
from ftzsafety.accounts.selectors import zone_administration
from ftzsafety.core.errors import Conflict, PermissionDenied, ValidationFailed
from ftzsafety.core.models import Classification
from ftzsafety.dangerous_goods import assessment, policies
from ftzsafety.dangerous_goods.choices import UnitKind
from ftzsafety.dangerous_goods.identifiers import parse_hazard_class, parse_un_number
from ftzsafety.dangerous_goods.loading import refresh_search_text
from ftzsafety.dangerous_goods.models import (
    DangerousGood,
    DangerousGoodVariant,
    HazardousChemical,
    MajorHazardAssessment,
    MajorHazardUnit,
    NamedSubstance,
    NamedSubstanceUN,
    ReferenceDataset,
    SegregationCell,
    UnitInventory,
)
from ftzsafety.dangerous_goods.segregation import ClassedItem, PairDecision, SegregationTable, segregate

# --- segregation -------------------------------------------------------------------------------------------------

MAX_SEGREGATION_ITEMS = 100


@dataclass(frozen=True)
class SegregationAnswer:
    items: list[ClassedItem]
    pairs: list[PairDecision]


def segregation_check(*, items: list[dict[str, Any]], actor: Any = None) -> SegregationAnswer:
    """Segregation for every pair of `items` by the IMDG Code 7.2.4 table (see `segregation.py` for the rules).

    Each item is `{"ref": str, "un_number": str}` (class and subsidiary hazards from GB 12268-2025) or
    `{"ref": str, "hazard_class": str, "subsidiary_hazards": [str, …]}`. A read: nothing is written. Invalid input
    raises ValidationFailed naming the item and field (`items[1].un_number`); every item is checked first."""
    if not isinstance(items, list) or len(items) < 2:
        raise ValidationFailed.for_fields({"items": [_("Give at least two items to segregate.")]})
    if len(items) > MAX_SEGREGATION_ITEMS:
        raise ValidationFailed.for_fields(
            {"items": [_("At most %(n)d items at a time.") % {"n": MAX_SEGREGATION_ITEMS}]}
        )
    table = SegregationTable.load()
    errors: dict[str, list[str]] = {}
    numbers: dict[int, str] = {}
    for index, raw in enumerate(items):
        raw_number = str(raw.get("un_number") or "").strip()
        if raw_number:
            try:
                numbers[index] = parse_un_number(raw_number)
            except ValueError as problem:
                errors[f"items[{index}].un_number"] = [str(problem)]
    goods = {g.un_number: g for g in DangerousGood.objects.filter(un_number__in=set(numbers.values()))}
    resolved: list[ClassedItem] = []
    refs: set[str] = set()
    for index, raw in enumerate(items):
        where = f"items[{index}]"
        ref = str(raw.get("ref") or "").strip()[:60] or str(index + 1)
        if ref in refs:
            errors.setdefault(f"{where}.ref", []).append(_("Reference “%(ref)s” is used twice.") % {"ref": ref})
        refs.add(ref)
        raw_number = str(raw.get("un_number") or "").strip()
        raw_class = str(raw.get("hazard_class") or "").strip()
        raw_subsidiary = raw.get("subsidiary_hazards") or []
        if raw_number and (raw_class or raw_subsidiary):
            errors.setdefault(where, []).append(
                _("Give either a UN number or a class (with its subsidiary hazards), not both.")
            )
            continue
        if raw_number:
            if index not in numbers:
                continue
            good = goods.get(numbers[index])
            if good is None:
                errors.setdefault(f"{where}.un_number", []).append(
                    _("%(number)s is not in the dangerous-goods list.") % {"number": numbers[index]}
                )
                continue
            if not good.hazard_class or not table.knows(good.hazard_class):
                errors.setdefault(f"{where}.un_number", []).append(
                    _("%(number)s has no class in the list; give its class instead.") % {"number": good.un_number}
                )
                continue
            subsidiary = tuple(s for s in good.subsidiary_hazards if table.knows(s))
            resolved.append(ClassedItem(ref, good.hazard_class, subsidiary, good.un_number, good.name_zh, good.name_en))
            continue
        if not raw_class:
            errors.setdefault(where, []).append(_("Give a UN number or a class."))
            continue
        classes = []
        for name, value in [("hazard_class", raw_class)] + [
            (f"subsidiary_hazards[{n}]", str(v)) for n, v in enumerate(raw_subsidiary)
        ]:
            try:
                parsed = parse_hazard_class(value)
            except ValueError as problem:
                errors.setdefault(f"{where}.{name}", []).append(str(problem))
                continue
            if not table.knows(parsed):
                errors.setdefault(f"{where}.{name}", []).append(
                    _("Class %(value)s is not in the segregation table.") % {"value": parsed}
                )
                continue
            classes.append(parsed)
        if len(classes) == 1 + len(raw_subsidiary):
            resolved.append(ClassedItem(ref, classes[0], tuple(classes[1:])))
    if errors:
        raise ValidationFailed.for_fields(errors)
    return SegregationAnswer(items=resolved, pairs=segregate(resolved, table))


def major_hazard_assess(*, inventories: Any, exposed_population: Any, actor: Any = None) -> dict[str, Any]:
    """The stateless GB 18218-2018 identification and grading (see `assessment.py`); nothing is written."""
    return assessment.assess(inventories=inventories, exposed_population=exposed_population)


# --- reference lists (admin) -------------------------------------------------------------------------------------


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    return value


def _snapshot(instance: models.Model) -> dict[str, Any]:
    data = model_to_dict(instance)
    data.pop("search_text", None)
    return {k: _json_safe(v) for k, v in data.items()}


def _require_reference_editor(actor: Any, action: str, target: Any) -> None:
    if not policies.can_edit_reference(actor):
        audit.record(actor=actor, action=action, target=target, outcome="denied")
        raise PermissionDenied(_("You may not change the dangerous-goods reference lists."))


def _mark_edited(instance: models.Model) -> None:
    code = getattr(type(instance), "dataset_code", None)
    if code:
        ReferenceDataset.objects.filter(code=code).update(edited_at=timezone.now())


def _refresh_after_change(instance: models.Model, before: dict[str, Any] | None) -> None:
    """Keep derived data consistent: the matrix symmetric, the search text of the affected entries current."""
    if isinstance(instance, SegregationCell) and instance.row != instance.column:
        SegregationCell.objects.filter(row=instance.column, column=instance.row).update(
            code=instance.code_id, uncertain=instance.uncertain, note=instance.note
        )
    numbers: set[str] = set()
    if isinstance(instance, DangerousGood):
        numbers.add(instance.un_number)
    elif isinstance(instance, NamedSubstance):
        numbers |= set(instance.un_links.values_list("un_number", flat=True))
    elif isinstance(instance, NamedSubstanceUN):
        numbers.add(instance.un_number)
        if before and before.get("un_number"):
            numbers.add(before["un_number"])
    if numbers:
        refresh_search_text(DangerousGood, NamedSubstanceUN, DangerousGoodVariant, numbers)


def _clean_good(good: DangerousGood) -> None:
    """A UN number, a class and subsidiary hazards as the segregation and lookups expect them."""
    errors: dict[str, list[str]] = {}
    try:
        good.un_number = parse_un_number(good.un_number)
    except ValueError as problem:
        errors["un_number"] = [str(problem)]
    if good.hazard_class:
        try:
            good.hazard_class = parse_hazard_class(good.hazard_class)
        except ValueError as problem:
            errors["hazard_class"] = [str(problem)]
    if not isinstance(good.subsidiary_hazards, list):
        errors["subsidiary_hazards"] = [_('A list of classes, e.g. ["5.1", "8"].')]
    else:
        try:
            good.subsidiary_hazards = [parse_hazard_class(str(c)) for c in good.subsidiary_hazards]
        except ValueError as problem:
            errors["subsidiary_hazards"] = [str(problem)]
    if errors:
        raise ValidationFailed.for_fields(errors)


def reference_record_save(*, actor: Any, instance: models.Model) -> models.Model:
    """Create or change one row of a reference list (admin). Reference editors only; audited with before/after;
    the dataset is marked as edited since its load. A segregation cell also sets its mirror cell."""
    label = type(instance)._meta.model_name
    creating = instance._state.adding
    action = f"dangerous_goods.{label}.{'create' if creating else 'update'}"
    _require_reference_editor(actor, action, None if creating else instance)
    return _reference_record_save(actor=actor, instance=instance, action=action, creating=creating)


@transaction.atomic
def _reference_record_save(*, actor: Any, instance: models.Model, action: str, creating: bool) -> models.Model:
    model = type(instance)
    before = None if creating else _snapshot(model.objects.select_for_update().get(pk=instance.pk))
    if isinstance(instance, DangerousGood):
        _clean_good(instance)
    try:
        instance.full_clean()
    except DjangoValidationError as invalid:
        raise ValidationFailed.for_fields(
            {k: [str(m) for m in v] for k, v in invalid.message_dict.items()} or {"__all__": [str(invalid)]}
        ) from None
    instance.save()
    after = _snapshot(model.objects.get(pk=instance.pk))  # as stored (decimal places, normalised values)
    changed = sorted(k for k in after if before is None or before.get(k) != after[k])
    if changed:
        _refresh_after_change(instance, before)
        _mark_edited(instance)
        audit.record(
            actor=actor,
            username="system" if actor is None else "",
            action=action,
            target=instance,
            classification=Classification.PUBLIC,
            before={k: before[k] for k in changed} if before else None,
            after={k: after[k] for k in changed},
        )
    return instance


def reference_record_delete(*, actor: Any, instance: models.Model) -> None:
    """Delete one row of a reference list (admin). The segregation matrix must stay complete: its cells cannot be
    deleted, only changed. Rows still in use (an inventory's substance) are refused with 409."""
    action = f"dangerous_goods.{type(instance)._meta.model_name}.delete"
    _require_reference_editor(actor, action, instance)
    if isinstance(instance, SegregationCell | ReferenceDataset):
        raise Conflict(_("This row cannot be deleted; change it instead."))
    _reference_record_delete(actor=actor, instance=instance, action=action)


@transaction.atomic
def _reference_record_delete(*, actor: Any, instance: models.Model, action: str) -> None:
    before = _snapshot(instance)
    numbers: set[str] = set()
    if isinstance(instance, NamedSubstance):
        numbers = set(instance.un_links.values_list("un_number", flat=True))
    elif isinstance(instance, NamedSubstanceUN):
        numbers = {instance.un_number}
    audit.record(
        actor=actor,
        username="system" if actor is None else "",
        action=action,
        target=instance,
        classification=Classification.PUBLIC,
        before=before,
    )
    try:
        instance.delete()
    except (ProtectedError, IntegrityError):
        raise Conflict(_("This row is still in use and cannot be deleted.")) from None
    _mark_edited(instance)
    if numbers:
        refresh_search_text(DangerousGood, NamedSubstanceUN, DangerousGoodVariant, numbers)


def reference_data_load(*, actor: Any, force: bool = False, only: list[str] | None = None) -> list[Any]:
    """(Re)load the shipped lists (`ftzsafety load_reference`): only datasets whose files changed, unless forced.
    Audited when anything was loaded."""
    from ftzsafety.dangerous_goods.loading import load_reference

    if not policies.can_edit_reference(actor):
        raise PermissionDenied(_("You may not change the dangerous-goods reference lists."))
    with transaction.atomic():
        username = actor.get_username() if actor is not None else "system"
        results = load_reference(force=force, only=only, loaded_by=username)
        loaded = [r for r in results if r.loaded]
        if loaded:
            audit.record(
                actor=actor,
                username="system" if actor is None else "",
                action="dangerous_goods.reference.load",
                classification=Classification.PUBLIC,
                detail={"datasets": {r.code: {"rows": r.row_count, "edition": r.edition} for r in loaded}},
            )
    return results


# --- hazardous-chemicals catalogue -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueRow:
    entry_no: int
    name_zh: str
    aliases: list[str]
    cas_numbers: list[str]
    is_highly_toxic: bool
    note: str


def hazardous_chemical_catalogue_import(
    *, actor: Any, rows: list[CatalogueRow], edition: str, source: str, file_name: str = "", sha256: str = ""
) -> int:
    """Replace the hazardous-chemicals catalogue (危险化学品目录) with `rows`, all or nothing; record its edition and
    source. Until a catalogue is imported, the class rule of REFERENCE.md decides
    (selectors.hazardous_chemical_status)."""
    action = "dangerous_goods.hazardous_chemical_catalogue.import"
    _require_reference_editor(actor, action, None)
    errors: dict[str, list[str]] = {}
    if not (edition or "").strip():
        errors["edition"] = [_("Give the catalogue's edition (e.g. 2015 edition, amended 2022).")]
    if not rows:
        errors["file"] = [_("The file has no catalogue rows.")]
    seen: set[int] = set()
    for row in rows:
        if row.entry_no in seen:
            errors.setdefault(f"row {row.entry_no}", []).append(
                _("Entry number %(n)d appears twice.") % {"n": row.entry_no}
            )
        seen.add(row.entry_no)
    if errors:
        raise ValidationFailed.for_fields(errors)
    with transaction.atomic():
        count_before = HazardousChemical.objects.count()
        HazardousChemical.objects.all().delete()
        HazardousChemical.objects.bulk_create(
            [
                HazardousChemical(
                    entry_no=r.entry_no,
                    name_zh=r.name_zh,
                    aliases=r.aliases,
                    cas_numbers=r.cas_numbers,
                    cas_text="|" + "|".join(r.cas_numbers) + "|" if r.cas_numbers else "",
                    is_highly_toxic=r.is_highly_toxic,
                    note=r.note,
                )
                for r in rows
            ],
            batch_size=1000,
        )
        username = actor.get_username() if actor is not None else "system"
        ReferenceDataset.objects.update_or_create(
            code="hazardous_chemicals",
            defaults={
                "title_zh": "危险化学品目录",
                "title_en": "Catalogue of hazardous chemicals",
                "edition": edition.strip()[:200],
                "source": source.strip(),
                "note": _("Imported by an administrator from the official spreadsheet."),
                "uncertain": False,
                "files": [file_name] if file_name else [],
                "sha256": sha256,
                "row_count": len(rows),
                "loaded_at": timezone.now(),
                "loaded_by": username,
                "edited_at": None,
            },
        )
        audit.record(
            actor=actor,
            username="system" if actor is None else "",
            action=action,
            classification=Classification.PUBLIC,
            detail={
                "rows": len(rows),
                "replaced": count_before,
                "edition": edition,
                "file": file_name,
                "sha256": sha256,
            },
        )
    return len(rows)


# --- major-hazard units ------------------------------------------------------------------------------------------

UNIT_FIELDS = ("code", "name", "kind", "description", "exposed_population", "classification")
MAX_LENGTHS = {"code": 32, "name": 200, "description": 4000}


def _clean_unit_values(values: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    unknown = sorted(set(values) - set(UNIT_FIELDS))
    for name in unknown:
        errors[name] = [_("Unknown field.")]
    for name in ("code", "name", "description"):
        if name in values:
            text = str(values[name] or "").strip()
            if len(text) > MAX_LENGTHS[name]:
                errors.setdefault(name, []).append(_("At most %(n)d characters.") % {"n": MAX_LENGTHS[name]})
            clean[name] = text
    for name in ("code", "name"):
        if (creating or name in values) and not clean.get(name):
            errors.setdefault(name, []).append(_("This field is required."))
    if creating or "kind" in values:
        if values.get("kind") not in UnitKind.values:
            errors.setdefault("kind", []).append(_("Choose a production unit or a storage unit."))
        clean["kind"] = values.get("kind")
    if creating or "exposed_population" in values:
        try:
            clean["exposed_population"] = assessment.validate_population(values.get("exposed_population"))
        except ValidationFailed as failed:
            errors.update(failed.fields)
    if "classification" in values:
        if values["classification"] not in Classification.values:
            errors.setdefault("classification", []).append(_("Choose public, internal or confidential."))
        clean["classification"] = values["classification"]
    if errors:
        raise ValidationFailed.for_fields(errors)
    return clean


def _clean_inventories(raw: Any) -> list[assessment.Line]:
    tables = assessment.Tables.load()
    lines = assessment.resolve_lines(raw, tables)
    errors = {}
    for index, line in enumerate(lines):
        if line.quantity_t.quantize(Decimal("0.000001")) <= 0:
            errors[f"inventories[{index}].quantity_t"] = [
                _("Line %(n)d, quantity_t: at least 0.000001 t.") % {"n": index + 1}
            ]
    if errors:
        raise ValidationFailed.for_fields(errors)
    return lines


def _owner_of(enterprise: Any) -> Any:
    return enterprise.organisation if enterprise.organisation_id else zone_administration()


def _write_inventories(unit: MajorHazardUnit, lines: list[assessment.Line], actor: Any) -> None:
    unit.inventories.all().delete()
    UnitInventory.objects.bulk_create(
        [
            UnitInventory(
                unit=unit,
                position=n,
                label=line.label[:200],
                substance=line.substance,
                category=line.category,
                quantity_t=line.quantity_t.quantize(Decimal("0.000001")),
                owner_id=unit.owner_id,
                classification=unit.classification,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            for n, line in enumerate(lines, start=1)
        ]
    )


def _inventory_snapshot(unit: MajorHazardUnit) -> list[dict[str, Any]]:
    return [
        {
            "line": inv.position,
            "label": inv.label,
            "substance": inv.substance.name_zh if inv.substance_id else None,
            "category": inv.category_id,
            "quantity_t": str(inv.quantity_t),
        }
        for inv in unit.inventories.select_related("substance").order_by("position")
    ]


def _unit_snapshot(unit: MajorHazardUnit) -> dict[str, Any]:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "description": unit.description,
        "exposed_population": unit.exposed_population,
        "classification": unit.classification,
        "inventories": _inventory_snapshot(unit),
    }


def _denied(actor: Any, action: str, target: Any, message: str) -> PermissionDenied:
    """Record a refusal outside the (rolled back) write transaction, so that it stays on record
    (GB/T 22239-2019 §8.1.4.3: denied access is audited)."""
    audit.record(actor=actor, action=action, target=target, outcome="denied")
    return PermissionDenied(message)


def _enterprise_for(actor: Any, uscc: str) -> Any:
    from ftzsafety.enterprises.selectors import enterprise_get

    return enterprise_get(actor=actor, uscc=uscc)


def major_hazard_unit_create(
    *, actor: Any, uscc: str, values: dict[str, Any], inventories: list[dict[str, Any]]
) -> MajorHazardUnit:
    """Register a production or storage unit of an enterprise with its inventory (GB 18218-2018 §3.2–3.3).

    The enterprise must be visible to the actor (else 404); its administrator or a government officer, head or
    commander may register (else 403, audited). Owner: the enterprise's organisation (or the zone administration)."""
    enterprise = _enterprise_for(actor, uscc)
    if not policies.can_manage_units(actor, enterprise):
        raise _denied(
            actor, "dangerous_goods.major_hazard_unit.create", enterprise, _("You may not register units here.")
        )
    return _major_hazard_unit_create(actor=actor, enterprise=enterprise, values=values, inventories=inventories)


@transaction.atomic
def _major_hazard_unit_create(
    *, actor: Any, enterprise: Any, values: dict[str, Any], inventories: list[dict[str, Any]]
) -> MajorHazardUnit:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    lines: list[assessment.Line] = []
    try:
        clean = _clean_unit_values(values, creating=True)
    except ValidationFailed as failed:
        errors.update(failed.fields)
    try:
        lines = _clean_inventories(inventories)
    except ValidationFailed as failed:
        errors.update(failed.fields)
    if errors:
        raise ValidationFailed.for_fields(errors)
    if MajorHazardUnit.objects.filter(enterprise=enterprise, code=clean["code"]).exists():
        raise Conflict(
            _("This enterprise already has a unit with code %(code)s.") % {"code": clean["code"]},
            code="duplicate_unit_code",
            extra={"fields": {"code": [_("Already in use.")]}},
        )
    clean.setdefault("classification", Classification.INTERNAL)
    unit = MajorHazardUnit.objects.create(
        enterprise=enterprise,
        owner=_owner_of(enterprise),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **clean,
    )
    _write_inventories(unit, lines, actor)
    audit.record(
        actor=actor,
        action="dangerous_goods.major_hazard_unit.create",
        target=unit,
        classification=unit.classification,
        after=_unit_snapshot(unit),
        detail={"uscc": enterprise.uscc},
    )
    return unit


def major_hazard_unit_update(
    *, actor: Any, unit_id: int, values: dict[str, Any], inventories: list[dict[str, Any]] | None = None
) -> MajorHazardUnit:
    """Change a unit's fields and, when given, replace its inventory. The stored grade stays until the next
    assessment."""
    from ftzsafety.dangerous_goods.selectors import major_hazard_unit_get

    unit = major_hazard_unit_get(actor=actor, unit_id=unit_id)
    if not policies.can_manage_units(actor, unit.enterprise):
        raise _denied(actor, "dangerous_goods.major_hazard_unit.update", unit, _("You may not change this unit."))
    return _major_hazard_unit_update(actor=actor, unit_id=unit.pk, values=values, inventories=inventories)


@transaction.atomic
def _major_hazard_unit_update(
    *, actor: Any, unit_id: int, values: dict[str, Any], inventories: list[dict[str, Any]] | None
) -> MajorHazardUnit:
    unit = MajorHazardUnit.objects.select_for_update().select_related("enterprise").get(pk=unit_id)
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    lines: list[assessment.Line] | None = None
    try:
        clean = _clean_unit_values(values, creating=False)
    except ValidationFailed as failed:
        errors.update(failed.fields)
    if inventories is not None:
        try:
            lines = _clean_inventories(inventories)
        except ValidationFailed as failed:
            errors.update(failed.fields)
    if errors:
        raise ValidationFailed.for_fields(errors)
    if (
        "code" in clean
        and MajorHazardUnit.objects.filter(enterprise=unit.enterprise, code=clean["code"]).exclude(pk=unit.pk).exists()
    ):
        raise Conflict(
            _("This enterprise already has a unit with code %(code)s.") % {"code": clean["code"]},
            code="duplicate_unit_code",
        )
    before = _unit_snapshot(unit)
    for name, value in clean.items():
        setattr(unit, name, value)
    unit.save()
    if lines is not None:
        _write_inventories(unit, lines, actor)
        if "classification" in clean:
            unit.inventories.update(classification=unit.classification)
    elif "classification" in clean:
        unit.inventories.update(classification=unit.classification)
    after = _unit_snapshot(unit)
    changed = sorted(k for k in after if after[k] != before[k])
    if changed:
        audit.record(
            actor=actor,
            action="dangerous_goods.major_hazard_unit.update",
            target=unit,
            classification=unit.classification,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return unit


def major_hazard_unit_assess(*, actor: Any, unit_id: int) -> MajorHazardAssessment:
    """Identify and grade a stored unit (GB 18218-2018 §4) from its inventory and exposed population; store the
    assessment with its inputs and result, and set the unit's `is_major` and `grade`. A change of grade (or of
    major/not major, the first assessment included) is audited with before and after."""
    from ftzsafety.dangerous_goods.selectors import major_hazard_unit_get

    unit = major_hazard_unit_get(actor=actor, unit_id=unit_id)
    if not policies.can_assess_units(actor, unit.enterprise):
        raise _denied(actor, "dangerous_goods.major_hazard_assessment.create", unit, _("You may not assess this unit."))
    return _major_hazard_unit_assess(actor=actor, unit_id=unit.pk)


@transaction.atomic
def _major_hazard_unit_assess(*, actor: Any, unit_id: int) -> MajorHazardAssessment:
    unit = MajorHazardUnit.objects.select_for_update().select_related("enterprise").get(pk=unit_id)
    inventories = list(unit.inventories.select_related("substance", "category").order_by("position"))
    if not inventories:
        raise ValidationFailed.for_fields({"inventories": [_("The unit has no inventory to assess.")]})
    tables = assessment.Tables.load()
    lines = [
        assessment.Line(label=inv.label, quantity_t=inv.quantity_t, substance=inv.substance, category=inv.category)
        for inv in inventories
    ]
    result, s_value, r_value = assessment.calculate_exact(lines, unit.exposed_population, tables)
    inputs = {
        "exposed_population": unit.exposed_population,
        "inventories": [
            {
                "line": inv.position,
                "substance": inv.label,
                "table1_row": inv.substance.position if inv.substance_id else None,
                "category": inv.category_id,
                "quantity_t": str(inv.quantity_t),
            }
            for inv in inventories
        ],
    }
    before = {"is_major": unit.is_major, "grade": unit.grade}
    record = MajorHazardAssessment.objects.create(
        unit=unit,
        enterprise=unit.enterprise,
        owner_id=unit.owner_id,
        classification=unit.classification,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        assessed_by=actor if getattr(actor, "is_authenticated", False) else None,
        inputs=inputs,
        result=result,
        s_value=s_value.quantize(Decimal("0.000001")),
        r_value=r_value.quantize(Decimal("0.000001")) if r_value is not None else None,
        alpha=Decimal(str(result["alpha"])),
        is_major=result["is_major"],
        grade=result["grade"],
        previous_grade=unit.grade,
        grade_changed=before != {"is_major": result["is_major"], "grade": result["grade"]},
    )
    unit.is_major = result["is_major"]
    unit.grade = result["grade"]
    unit.last_assessed_at = record.created_at
    unit.save(update_fields=["is_major", "grade", "last_assessed_at", "updated_at"])
    audit.record(
        actor=actor,
        action="dangerous_goods.major_hazard_assessment.create",
        target=record,
        classification=record.classification,
        detail={"unit": unit.code, "S": result["S"], "R": result["R"], "grade": result["grade"]},
    )
    if record.grade_changed:
        audit.record(
            actor=actor,
            action="dangerous_goods.major_hazard_unit.grade_change",
            target=unit,
            classification=unit.classification,
            before=before,
            after={"is_major": result["is_major"], "grade": result["grade"]},
            detail={"assessment": record.pk, "uscc": unit.enterprise.uscc},
        )
    return record


def major_hazard_enterprise_assess(*, actor: Any, uscc: str) -> list[MajorHazardAssessment]:
    """Assess every unit of an enterprise that has an inventory (one transaction per unit)."""
    from ftzsafety.dangerous_goods.selectors import major_hazard_unit_list

    enterprise = _enterprise_for(actor, uscc)
    if not policies.can_assess_units(actor, enterprise):
        raise _denied(
            actor, "dangerous_goods.major_hazard_assessment.create", enterprise, _("You may not assess these units.")
        )
    units = [u for u in major_hazard_unit_list(actor=actor, enterprise=enterprise) if u.inventories.all()]
    return [_major_hazard_unit_assess(actor=actor, unit_id=u.pk) for u in units]
