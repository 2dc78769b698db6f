"""Identification and grading of major-hazard installations, GB 18218-2018 (危险化学品重大危险源辨识).

- §4.2: a unit is a major-hazard installation when S = Σ qᵢ/Qᵢ ≥ 1 (for one substance: q ≥ Q). Qᵢ is the
  substance's Table 1 quantity when it is named there, else its hazard category's Table 2 quantity.
- §4.3: R = α · Σ βᵢ·qᵢ/Qᵢ, β from Table 3 for the named toxic gases, else from Table 4 by hazard category; α from
  Table 5 by the number of people within 500 m of the site boundary; the grade from Table 6 (1: R ≥ 100;
  2: 50 ≤ R < 100; 3: 10 ≤ R < 50; 4: R < 10).

Quantities are Decimals so that S = 1 is decided exactly (3/5 + 6/10 is 1.2, not 1.2000000000000002).
The tables are data (NamedSubstance, HazardCategory, AlphaBand, GradeBand), read once per assessment.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.dangerous_goods.choices import BetaBasis
from ftzsafety.dangerous_goods.identifiers import (
    base_name,
    looks_like_cas,
    looks_like_un_number,
    match_key,
    parse_cas,
    parse_un_number,
)
from ftzsafety.dangerous_goods.models import (
    AlphaBand,
    DangerousGood,
    GradeBand,
    HazardCategory,
    NamedSubstance,
    NamedSubstanceUN,
)

MAX_QUANTITY_T = Decimal("1000000000")
MAX_POPULATION = 100_000_000
MAX_LINES = 500
STANDARD = "GB 18218-2018"


@dataclass
class Tables:
    """GB 18218-2018 Tables 1–6 as loaded, with the keys a typed name is matched by."""

    substances: list[NamedSubstance]
    categories: dict[str, HazardCategory]
    alpha_bands: list[AlphaBand]
    grade_bands: list[GradeBand]
    name_keys: dict[str, list[NamedSubstance]] = field(default_factory=dict)
    alias_keys: dict[str, list[NamedSubstance]] = field(default_factory=dict)
    cas_keys: dict[str, list[NamedSubstance]] = field(default_factory=dict)
    un_keys: dict[str, list[NamedSubstance]] = field(default_factory=dict)
    english_keys: dict[str, list[NamedSubstance]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Tables":
        substances = list(NamedSubstance.objects.order_by("position"))
        tables = cls(
            substances=substances,
            categories={c.code: c for c in HazardCategory.objects.all()},
            alpha_bands=list(AlphaBand.objects.order_by("-min_people")),
            grade_bands=list(GradeBand.objects.order_by("grade")),
        )
        by_id = {s.pk: s for s in substances}

        def add(index: dict[str, list[NamedSubstance]], key: str, substance: NamedSubstance) -> None:
            if key and substance not in index.setdefault(key, []):
                index[key].append(substance)

        for substance in substances:
            add(tables.name_keys, match_key(substance.name_zh), substance)
            for alias in [*substance.aliases, *substance.extra_aliases, base_name(substance.name_zh)]:
                add(tables.alias_keys, match_key(alias), substance)
            for cas in substance.cas_numbers:
                add(tables.cas_keys, cas, substance)
        links = list(NamedSubstanceUN.objects.values_list("un_number", "substance_id"))
        names_en = dict(
            DangerousGood.objects.filter(un_number__in=[n for n, _ in links]).values_list("un_number", "name_en")
        )
        for number, substance_id in links:
            add(tables.un_keys, number, by_id[substance_id])
            if names_en.get(number):
                add(tables.english_keys, match_key(names_en[number]), by_id[substance_id])
        return tables

    def alpha_for(self, people: int) -> Decimal:
        for band in self.alpha_bands:  # highest lower bound first
            if people >= band.min_people:
                return band.alpha
        raise LookupError(f"the α table has no band for {people} people")

    def grade_for(self, r: Decimal) -> int:
        for band in self.grade_bands:
            if (band.min_r is None or r >= band.min_r) and (band.max_r is None or r < band.max_r):
                return band.grade
        raise LookupError(f"the grade table has no band for R = {r}")


@dataclass(frozen=True)
class Line:
    """One inventory line, resolved: a Table 1 substance and/or a Table 2 category, and q in tonnes."""

    label: str
    quantity_t: Decimal
    substance: NamedSubstance | None = None
    category: HazardCategory | None = None
    cas: str = ""


class LineProblem(Exception):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name
        self.message = message


def _candidates_text(substances: list[NamedSubstance]) -> str:
    return "、".join(s.name_zh for s in substances[:6])


def match_substance(text: str, tables: Tables) -> list[NamedSubstance]:
    """Table 1 rows that `text` names: by full name first, then an alias (or the name without its qualifier),
    then CAS, UN number or the English name of a linked UN entry. Full-width characters and spaces are ignored."""
    key = match_key(text)
    if not key:
        return []
    for index in (tables.name_keys, tables.alias_keys):
        if key in index:
            return index[key]
    if looks_like_cas(text):
        try:
            return tables.cas_keys.get(parse_cas(text), [])
        except ValueError:
            return []
    if looks_like_un_number(text):
        return tables.un_keys.get(parse_un_number(text), [])
    return tables.english_keys.get(key, [])


def _decimal_quantity(raw: Any) -> Decimal:
    if raw is None or raw == "":
        raise ValueError(_("the maximum quantity in tonnes is required"))
    if isinstance(raw, bool):
        raise ValueError(_("the quantity must be a number of tonnes"))
    try:
        value = Decimal(str(raw).strip()) if not isinstance(raw, float) else Decimal(repr(raw))
    except (InvalidOperation, ValueError):
        raise ValueError(_("the quantity must be a number of tonnes")) from None
    if not value.is_finite():
        raise ValueError(_("the quantity must be a finite number of tonnes"))
    if value <= 0:
        raise ValueError(_("the quantity must be greater than 0 t"))
    if value > MAX_QUANTITY_T:
        raise ValueError(_("the quantity must not exceed %(max)s t") % {"max": f"{MAX_QUANTITY_T:,}"})
    return value


def resolve_line(raw: dict[str, Any], tables: Tables) -> Line:
    """Resolve one raw line {"substance" | "cas" | "category", "quantity_t"}; raise LineProblem naming the field.

    A named substance takes its Table 1 Q (GB 18218-2018 §4.2.1); a substance not in Table 1 takes its category's
    Table 2 Q; without either there is nothing to assess."""
    substance_text = str(raw.get("substance") or "").strip()
    cas_text = str(raw.get("cas") or "").strip()
    category_text = str(raw.get("category") or "").strip()
    for name, value in (("substance", substance_text), ("cas", cas_text), ("category", category_text)):
        if len(value) > 200:
            raise LineProblem(name, _("at most 200 characters"))
    try:
        quantity = _decimal_quantity(raw.get("quantity_t"))
    except ValueError as problem:
        raise LineProblem("quantity_t", str(problem)) from None

    category = None
    if category_text:
        code = match_key(category_text).upper()
        category = tables.categories.get(code)
        if category is None:
            raise LineProblem(
                "category",
                _("“%(value)s” is not a GB 18218-2018 Table 2 category (J1–J5, W1.1–W11, e.g. W5.3)")
                % {"value": category_text[:40]},
            )

    substance = None
    cas = ""
    if cas_text:
        try:
            cas = parse_cas(cas_text)
        except ValueError as problem:
            raise LineProblem("cas", str(problem)) from None
        found = tables.cas_keys.get(cas, [])
        if len(found) > 1 and substance_text:
            found = [s for s in found if s in match_substance(substance_text, tables)] or found
        if len(found) > 1:
            raise LineProblem(
                "cas",
                _("CAS %(cas)s matches several Table 1 rows (%(names)s); give the substance's full name")
                % {"cas": cas, "names": _candidates_text(found)},
            )
        substance = found[0] if found else None
    if substance is None and substance_text:
        found = match_substance(substance_text, tables)
        if len(found) > 1:
            raise LineProblem(
                "substance",
                _("“%(value)s” matches several Table 1 rows (%(names)s); give the full name")
                % {"value": substance_text[:40], "names": _candidates_text(found)},
            )
        substance = found[0] if found else None
    if substance is None and category is None:
        if substance_text or cas_text:
            field_name = "substance" if substance_text else "cas"
            shown = substance_text or cas_text
            raise LineProblem(
                field_name,
                _(
                    "“%(value)s” is not named in GB 18218-2018 Table 1; give its hazard category from Table 2 "
                    "(e.g. W5.3 for a flammable liquid of category 2)"
                )
                % {"value": shown[:40]},
            )
        raise LineProblem("substance", _("give a substance (name, alias or CAS number) or a Table 2 category"))
    label = substance_text or cas_text or (substance.name_zh if substance else "") or category.code
    return Line(label=label, quantity_t=quantity, substance=substance, category=category, cas=cas)


def resolve_lines(raw_lines: Any, tables: Tables, *, prefix: str = "inventories") -> list[Line]:
    """Resolve every line, collecting every problem: `inventories[1].quantity_t: Line 2: …`."""
    if not isinstance(raw_lines, list) or not raw_lines:
        raise ValidationFailed.for_fields({prefix: [_("Give at least one inventory line.")]})
    if len(raw_lines) > MAX_LINES:
        raise ValidationFailed.for_fields({prefix: [_("At most %(n)d inventory lines.") % {"n": MAX_LINES}]})
    errors: dict[str, list[str]] = {}
    lines = []
    for index, raw in enumerate(raw_lines):
        if not isinstance(raw, dict):
            errors[f"{prefix}[{index}]"] = [_("Line %(n)d: expected an object.") % {"n": index + 1}]
            continue
        try:
            lines.append(resolve_line(raw, tables))
        except LineProblem as problem:
            message = _("Line %(n)d, %(field)s: %(problem)s.") % {
                "n": index + 1,
                "field": problem.field_name,
                "problem": problem.message,
            }
            errors.setdefault(f"{prefix}[{index}].{problem.field_name}", []).append(message)
    if errors:
        raise ValidationFailed.for_fields(errors)
    return lines


def validate_population(raw: Any, *, field_name: str = "exposed_population") -> int:
    if raw is None or raw == "":
        raise ValidationFailed.for_fields(
            {field_name: [_("Give the number of people within 500 m of the site boundary (0 or more).")]}
        )
    if isinstance(raw, bool) or (isinstance(raw, float) and (not math.isfinite(raw) or raw != int(raw))):
        raise ValidationFailed.for_fields({field_name: [_("The number of people must be a whole number.")]})
    try:
        people = int(raw)
    except (TypeError, ValueError):
        raise ValidationFailed.for_fields({field_name: [_("The number of people must be a whole number.")]}) from None
    if people < 0 or people > MAX_POPULATION:
        raise ValidationFailed.for_fields(
            {field_name: [_("The number of people must be between 0 and %(max)s.") % {"max": f"{MAX_POPULATION:,}"}]}
        )
    return people


def _number(value: Decimal | None, places: int = 6) -> float | None:
    if value is None:
        return None
    return float(round(value, places))


def calculate(lines: list[Line], exposed_population: int, tables: Tables) -> dict[str, Any]:
    """S, R, α and the grade for resolved lines (GB 18218-2018 §4.2–4.3), as a JSON-safe dict."""
    return calculate_exact(lines, exposed_population, tables)[0]


def calculate_exact(
    lines: list[Line], exposed_population: int, tables: Tables
) -> tuple[dict[str, Any], Decimal, Decimal | None]:
    """The result dict with S and R as exact Decimals (to store beside the JSON)."""
    out_lines = []
    total_s = Decimal(0)
    total_weighted = Decimal(0)
    notes: list[str] = []
    for number, line in enumerate(lines, start=1):
        if line.substance is not None:
            critical = line.substance.critical_quantity_t
            matched = "table1"
        else:
            critical = line.category.critical_quantity_t
            matched = "table2"
        if line.substance is not None and line.substance.beta is not None:
            beta, basis = line.substance.beta, BetaBasis.NAMED
        elif line.category is not None:
            beta, basis = line.category.beta, BetaBasis.CATEGORY
        else:
            beta, basis = Decimal(1), BetaBasis.ASSUMED
            notes.append(
                _("Line %(n)d: β = 1 assumed; give the hazard category for the correction factor of Table 4.")
                % {"n": number}
            )
        ratio = line.quantity_t / critical
        total_s += ratio
        total_weighted += beta * ratio
        out_lines.append(
            {
                "line": number,
                "substance": line.substance.name_zh if line.substance else line.label,
                "input": line.label,
                "matched": matched,
                "table1_row": line.substance.position if line.substance else None,
                "cas": line.cas
                or (line.substance.cas_numbers[0] if line.substance and line.substance.cas_numbers else ""),
                "category": line.category.code if line.category else None,
                "quantity_t": _number(line.quantity_t),
                "Q": _number(critical, 4),
                "beta": _number(beta, 2),
                "beta_basis": str(basis),
                "beta_uncertain": bool(line.substance and line.substance.beta_uncertain and basis == BetaBasis.NAMED)
                or bool(line.category and line.category.uncertain and matched == "table2"),
                "q_over_Q": _number(ratio),
                "beta_q_over_Q": _number(beta * ratio),
            }
        )
    is_major = total_s >= 1
    alpha = tables.alpha_for(exposed_population)
    r_value = alpha * total_weighted if is_major else None
    grade = tables.grade_for(r_value) if r_value is not None else None
    result = {
        "standard": STANDARD,
        "S": _number(total_s),
        "is_major": is_major,
        "exposed_population": exposed_population,
        "alpha": _number(alpha, 2),
        "sum_beta_q_over_Q": _number(total_weighted),
        "R": _number(r_value),
        "grade": grade,
        "lines": out_lines,
        "notes": notes,
    }
    return result, total_s, r_value


def assess(*, inventories: Any, exposed_population: Any, tables: Tables | None = None) -> dict[str, Any]:
    """Validate raw input and calculate: the stateless assessment of `POST /api/v1/major-hazards/assess`."""
    tables = tables or Tables.load()
    errors: dict[str, list[str]] = {}
    lines: list[Line] = []
    people = 0
    try:
        lines = resolve_lines(inventories, tables)
    except ValidationFailed as failed:
        errors.update(failed.fields)
    try:
        people = validate_population(exposed_population)
    except ValidationFailed as failed:
        errors.update(failed.fields)
    if errors:
        raise ValidationFailed.for_fields(errors)
    return calculate(lines, people, tables)
