"""The filing types as code: each cleans its form, says which review conditions hold, and lists its automatic
pre-review checks (`rules.py`). Which departments review under which condition, and by when, is data (ReviewRule).

A form is a dict (JSON from the API, or built by the page's Django form); `clean` returns the normalised dict or
raises ValidationFailed naming every bad field (`goods[1].un_number`) with what is expected. Regulatory content
(is the UN number in the list, does the class match …) is not a form error: pre-review reports it as findings, so
the enterprise sees every problem at once with its source.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ftzsafety.core.errors import DomainError, ValidationFailed
from ftzsafety.dangerous_goods.identifiers import parse_hazard_class, parse_un_number
from ftzsafety.filings.choices import (
    ConveyanceMode,
    FilingTypeCode,
    QualificationKind,
    QuantityUnit,
    RuleCondition,
    TrainingTopic,
)

MAX_GOODS_LINES = 15  # the certificate QR payload holds about 20 distinct lines (h-certs)
MAX_TEXT = 2000
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{6,19}$")
_PLATE = re.compile(r"^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$")
PACKING_GROUPS = ("I", "II", "III")


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationFailed.for_fields(dict(self))


def _text(raw: dict, name: str, errors: _Errors, *, required: bool = True, max_length: int = 200) -> str:
    value = str(raw.get(name) or "").strip()
    if required and not value:
        errors.add(name, _("This field is required."))
    elif len(value) > max_length:
        errors.add(name, _("At most %(n)d characters.") % {"n": max_length})
    return value[:max_length]


def _choice(raw: dict, name: str, choices: Any, errors: _Errors) -> str:
    value = str(raw.get(name) or "").strip()
    if value not in choices.values:
        errors.add(
            name,
            _("“%(value)s” is not a valid choice; expected one of: %(choices)s.")
            % {"value": value[:40], "choices": ", ".join(choices.values)},
        )
    return value


def _date(raw: dict, name: str, errors: _Errors) -> date | None:
    value = raw.get(name)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed = parse_date(str(value or "").strip()) if value else None
    if parsed is None:
        errors.add(name, _("Enter a date as YYYY-MM-DD."))
    return parsed


def _datetime(raw: dict, name: str, errors: _Errors) -> datetime | None:
    value = raw.get(name)
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = parse_datetime(str(value or "").strip()) if value else None
        except ValueError:
            parsed = None
    if parsed is None:
        errors.add(name, _("Enter a date and time as YYYY-MM-DDTHH:MM (local time of the zone)."))
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _positive_int(raw: dict, name: str, errors: _Errors, *, minimum: int = 0) -> int:
    try:
        value = int(str(raw.get(name, "")).strip())
    except ValueError:
        errors.add(name, _("Enter a whole number."))
        return 0
    if value < minimum:
        errors.add(name, _("Enter a number of at least %(n)d.") % {"n": minimum})
    return value


@dataclass(frozen=True)
class Cleaned:
    form: dict[str, Any]
    contact_name: str = ""
    contact_phone: str = ""


class FilingKind:
    code: str = ""
    attachment_kinds: tuple[str, ...] = ()

    def clean(self, raw: dict[str, Any]) -> Cleaned:
        raise NotImplementedError

    def conditions(self, filing: Any, *, actor: Any) -> set[str]:
        return {RuleCondition.ALWAYS}


# --- pre-arrival dangerous-goods filing ----------------------------------------------------------------------------


class DangerousGoodsPreArrival(FilingKind):
    """提前24小时线上备案 (PRODUCT.md P3.4): conveyance, port of loading, ETA, goods lines, an SDS per UN number, the
    destination in the zone, protective measures and a 24-hour emergency contact."""

    code = FilingTypeCode.DG_PRE_ARRIVAL
    attachment_kinds = ("sds",)

    def clean(self, raw: dict[str, Any]) -> Cleaned:
        from ftzsafety.filings.selectors import destination_by_code

        errors = _Errors()
        mode = _choice(raw, "conveyance_mode", ConveyanceMode, errors)
        form: dict[str, Any] = {"conveyance_mode": mode}
        if mode == ConveyanceMode.VESSEL:
            form["vessel_name"] = _text(raw, "vessel_name", errors, max_length=100)
            form["voyage"] = _text(raw, "voyage", errors, max_length=40)
            form["vehicle_plate"] = ""
        elif mode == ConveyanceMode.VEHICLE:
            plate = _text(raw, "vehicle_plate", errors, max_length=12).upper().replace(" ", "")
            if plate and not _PLATE.match(plate):
                errors.add("vehicle_plate", _("Enter a Chinese number plate, e.g. 津A12345 or 津AD12345."))
            form.update(vessel_name="", voyage="", vehicle_plate=plate)
        form["port_of_loading"] = _text(raw, "port_of_loading", errors, max_length=100)
        eta = _datetime(raw, "eta", errors)
        form["eta"] = eta.isoformat() if eta else ""
        form["goods"] = self._clean_goods(raw.get("goods"), errors)
        code = str(raw.get("destination") or "").strip()
        if not code:
            errors.add("destination", _("Choose the yard or warehouse the goods go to."))
        elif destination_by_code(code) is None:
            errors.add("destination", _("“%(code)s” is not a destination in the zone.") % {"code": code[:40]})
        form["destination"] = code
        form["route"] = _text(raw, "route", errors, max_length=500)
        form["onward_by_road"] = bool(raw.get("onward_by_road"))
        form["protective_measures"] = _text(raw, "protective_measures", errors, max_length=MAX_TEXT)
        name = _text(raw, "emergency_contact_name", errors, max_length=100)
        phone = _text(raw, "emergency_contact_phone", errors, max_length=40)
        if phone and not _PHONE.match(phone):
            errors.add(
                "emergency_contact_phone",
                _("Enter a phone number reachable 24 hours a day: digits, optionally with +, spaces or hyphens."),
            )
        errors.raise_if_any()
        return Cleaned(form=form, contact_name=name, contact_phone=phone)

    def _clean_goods(self, raw_goods: Any, errors: _Errors) -> list[dict[str, Any]]:
        if not isinstance(raw_goods, list) or not raw_goods:
            errors.add("goods", _("Add at least one goods line."))
            return []
        if len(raw_goods) > MAX_GOODS_LINES:
            errors.add("goods", _("At most %(n)d goods lines.") % {"n": MAX_GOODS_LINES})
            return []
        lines = []
        for index, raw in enumerate(raw_goods):
            where = f"goods[{index}]"
            if not isinstance(raw, dict):
                errors.add(where, _("Each goods line is an object."))
                continue
            line: dict[str, Any] = {}
            try:
                line["un_number"] = parse_un_number(str(raw.get("un_number") or ""))
            except ValueError as problem:
                errors.add(f"{where}.un_number", str(problem))
                line["un_number"] = ""
            line["proper_shipping_name"] = str(raw.get("proper_shipping_name") or "").strip()[:200]
            if not line["proper_shipping_name"]:
                errors.add(f"{where}.proper_shipping_name", _("Give the proper shipping name."))
            try:
                line["hazard_class"] = parse_hazard_class(str(raw.get("hazard_class") or ""))
            except ValueError as problem:
                errors.add(f"{where}.hazard_class", str(problem))
                line["hazard_class"] = ""
            group = str(raw.get("packing_group") or "").strip().upper()
            if group and group not in PACKING_GROUPS:
                errors.add(f"{where}.packing_group", _("Packing group is I, II or III, or empty when none applies."))
            line["packing_group"] = group
            try:
                quantity = Decimal(str(raw.get("quantity") or "").strip())
                if not quantity.is_finite() or quantity <= 0:
                    raise InvalidOperation
                line["quantity"] = f"{quantity.quantize(Decimal('0.001')).normalize():f}"
            except (InvalidOperation, ValueError):
                errors.add(f"{where}.quantity", _("Enter a quantity greater than zero."))
                line["quantity"] = ""
            unit = str(raw.get("unit") or "").strip()
            if unit not in QuantityUnit.values:
                errors.add(f"{where}.unit", _("Unit is one of: %(units)s.") % {"units": ", ".join(QuantityUnit.values)})
            line["unit"] = unit
            line["packaging"] = str(raw.get("packaging") or "").strip()[:200]
            if not line["packaging"]:
                errors.add(f"{where}.packaging", _("Describe the packaging (e.g. 200 L steel drums, 1A1)."))
            lines.append(line)
        return lines

    def conditions(self, filing: Any, *, actor: Any) -> set[str]:
        """Which review conditions hold (P3.2: emergency when a catalogued hazardous chemical is involved; maritime
        when arriving by water; transport when moved inland by road; fire when stored in a warehouse)."""
        from ftzsafety.dangerous_goods.selectors import dangerous_good_detail
        from ftzsafety.filings.selectors import destination_by_code

        form = filing.form
        held = {RuleCondition.ALWAYS}
        for number in {line["un_number"] for line in form.get("goods", [])}:
            try:
                if dangerous_good_detail(actor=actor, un_number=number)["hazardous_chemical"]["value"]:
                    held.add(RuleCondition.HAZARDOUS_CHEMICAL)
                    break
            except DomainError:  # an unknown number is a pre-review finding, not a condition
                continue
        if form.get("conveyance_mode") == ConveyanceMode.VESSEL:
            held.add(RuleCondition.BY_WATER)
        if form.get("conveyance_mode") == ConveyanceMode.VEHICLE or form.get("onward_by_road"):
            held.add(RuleCondition.INLAND_ROAD)
        destination = destination_by_code(form.get("destination", ""))
        if destination is not None and destination.kind == "warehouse":
            held.add(RuleCondition.WAREHOUSE)
        if filing.credit_grade == "D":
            held.add(RuleCondition.CREDIT_GRADE_D)
        return held


# --- safety qualification filing (安全资质备案) ----------------------------------------------------------------------


class SafetyQualification(FilingKind):
    """安全资质备案: a licence the enterprise holds, its number, issuer, validity and scope, with the scan."""

    code = FilingTypeCode.SAFETY_QUALIFICATION
    attachment_kinds = ("licence",)

    def clean(self, raw: dict[str, Any]) -> Cleaned:
        errors = _Errors()
        form: dict[str, Any] = {"qualification_kind": _choice(raw, "qualification_kind", QualificationKind, errors)}
        number = _text(raw, "licence_number", errors, max_length=60)
        if number and not re.match(r"^[\w\u4e00-\u9fa5（）()〔〕\[\]\-/]{4,60}$", number):
            errors.add("licence_number", _("Enter the licence number as printed (letters, digits, Chinese, - / ( ))."))
        form["licence_number"] = number
        form["issuing_authority"] = _text(raw, "issuing_authority", errors, max_length=100)
        valid_from = _date(raw, "valid_from", errors)
        valid_until = _date(raw, "valid_until", errors)
        if valid_from and valid_until and valid_until <= valid_from:
            errors.add("valid_until", _("The end of validity must be after its start."))
        form["valid_from"] = valid_from.isoformat() if valid_from else ""
        form["valid_until"] = valid_until.isoformat() if valid_until else ""
        form["scope"] = _text(raw, "scope", errors, max_length=MAX_TEXT)
        errors.raise_if_any()
        return Cleaned(form=form)

    def conditions(self, filing: Any, *, actor: Any) -> set[str]:
        held = {RuleCondition.ALWAYS}
        kind = filing.form.get("qualification_kind")
        if kind == QualificationKind.PORT_DG_OPERATIONS:
            held.add(RuleCondition.PORT_OPERATIONS)
        if kind == QualificationKind.ROAD_DG_TRANSPORT:
            held.add(RuleCondition.ROAD_TRANSPORT)
        if filing.credit_grade == "D":
            held.add(RuleCondition.CREDIT_GRADE_D)
        return held


# --- foreign-related safety training application (涉外安全培训申请) --------------------------------------------------


class ForeignTraining(FilingKind):
    """涉外安全培训申请: a safety course with foreign trainers or trainees (生产经营单位安全培训规定, 国家安全监管总局
    令第3号: content, hours, records), its dates, venue, trainers, topics and curriculum."""

    code = FilingTypeCode.FOREIGN_TRAINING
    attachment_kinds = ("curriculum",)

    def clean(self, raw: dict[str, Any]) -> Cleaned:
        errors = _Errors()
        form: dict[str, Any] = {
            "course_title": _text(raw, "course_title", errors, max_length=200),
            "provider": _text(raw, "provider", errors, max_length=200),
            "language": _text(raw, "language", errors, max_length=40),
            "venue": _text(raw, "venue", errors, max_length=200),
        }
        start, end = _date(raw, "start_date", errors), _date(raw, "end_date", errors)
        if start and end and end < start:
            errors.add("end_date", _("The course cannot end before it starts."))
        form["start_date"] = start.isoformat() if start else ""
        form["end_date"] = end.isoformat() if end else ""
        form["hours"] = _positive_int(raw, "hours", errors, minimum=1)
        form["trainees"] = _positive_int(raw, "trainees", errors, minimum=1)
        form["foreign_trainees"] = _positive_int(raw, "foreign_trainees", errors)
        if form["foreign_trainees"] > form["trainees"]:
            errors.add("foreign_trainees", _("Foreign trainees cannot outnumber all trainees."))
        trainers = []
        raw_trainers = raw.get("trainers") or []
        if not isinstance(raw_trainers, list):
            raw_trainers = []
        for index, trainer in enumerate(raw_trainers[:20]):
            if not isinstance(trainer, dict):
                errors.add(f"trainers[{index}]", _("Each trainer is an object with a name and a nationality."))
                continue
            name = str(trainer.get("name") or "").strip()[:100]
            country = str(trainer.get("nationality") or "").strip().upper()
            if not name and not country:
                continue
            if not name:
                errors.add(f"trainers[{index}].name", _("Give the trainer's name."))
            if not re.match(r"^[A-Z]{2}$", country):
                errors.add(f"trainers[{index}].nationality", _("Give the nationality as a two-letter code (CN, DE)."))
            trainers.append({"name": name, "nationality": country})
        form["trainers"] = trainers
        topics = raw.get("topics") or []
        topics = [topics] if isinstance(topics, str) else list(topics)
        bad = [t for t in topics if t not in TrainingTopic.values]
        if bad:
            errors.add("topics", _("Unknown topics: %(bad)s.") % {"bad": ", ".join(map(str, bad))[:80]})
        form["topics"] = sorted({t for t in topics if t in TrainingTopic.values})
        form["curriculum"] = _text(raw, "curriculum", errors, required=False, max_length=MAX_TEXT * 2)
        errors.raise_if_any()
        return Cleaned(form=form)

    def conditions(self, filing: Any, *, actor: Any) -> set[str]:
        held = {RuleCondition.ALWAYS}
        if TrainingTopic.FIRE_DRILL in filing.form.get("topics", []):
            held.add(RuleCondition.FIRE_DRILL)
        if filing.credit_grade == "D":
            held.add(RuleCondition.CREDIT_GRADE_D)
        return held


KINDS: dict[str, FilingKind] = {
    kind.code: kind for kind in (DangerousGoodsPreArrival(), SafetyQualification(), ForeignTraining())
}


def kind_for(code: str) -> FilingKind:
    return KINDS[code]
