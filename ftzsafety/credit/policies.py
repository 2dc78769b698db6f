"""The scoring policy: its default numbers, their validation, and the pure scoring function.

Nothing here touches the database. `Scorer(rules).score(rows, as_of=…)` is used both for one enterprise (with the
explanation) and for the whole zone (set-based re-grade), so the stored score and the explanation always agree.

Why the default numbers (DEFAULT_RULES):
- Base 60 and grade C (一般) for an enterprise the system knows nothing about, as customs treats a firm with no
  record as 常规企业 (海关注册登记和备案企业信用管理办法, 海关总署令第251号, 第三条). Thresholds A ≥ 85, B ≥ 70,
  C ≥ 50, D below: a firm reaches A only with a certification or a sustained record of on-time rectifications and
  clean filings, and falls to D by points only after several serious negatives.
- Negative facts weigh more than positive ones and decay more slowly (a false filing halves its weight in three
  years, an on-time rectification in one): 国办发〔2019〕35号 and 国办发〔2020〕49号 keep discredit information
  for three years in general, at most five. Certifications do not decay; they count while valid.
- Overrides: a valid ISM Code document of compliance → A unless a D trigger applies (PRODUCT.md P3.1); an
  established false filing or a serious violation → D for 365 days, the minimum period after which customs allows a
  discredited firm to apply for repair (海关总署令第251号 第三十条), unless the event is repaired or annulled.
- Measures: the inspection sampling weight follows customs practice, where AEO firms were inspected at 0.57 % and
  discredited firms at 84.76 % (2019, REFERENCE.md); we keep the ratio moderate (0.5 vs 4) because double-random
  inspections (双随机一公开) must still reach every firm. Review deadlines A 12 h, B 24 h, C 48 h, D 72 h; D needs
  extra review by customs and commerce and has no fast lane (PRODUCT.md P3.1, P3.5).
- An objection is decided within 20 days (REFERENCE.md, customs objection review period).
"""

import copy
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.credit.choices import GRADE_ORDER, CertificateType, EventKind, EventStatus

CENT = Decimal("0.01")
DECAY_PLACES = Decimal("0.000001")
DEPARTMENT_CODES = (
    "emergency",
    "customs",
    "maritime",
    "market",
    "commerce",
    "transport",
    "ecology",
    "fire",
    "zone_admin",
)

DEFAULT_RULES: dict[str, Any] = {
    "base_score": "60",
    "min_score": "0",
    "max_score": "100",
    "thresholds": {"A": "85", "B": "70", "C": "50"},
    "kinds": {
        EventKind.HAZARD_RECTIFIED_ON_TIME: {"weight": "2", "half_life_days": 365},
        EventKind.HAZARD_OVERDUE: {"weight": "-5", "half_life_days": 730},
        EventKind.MAJOR_HAZARD_FOUND: {"weight": "-10", "half_life_days": 730},
        EventKind.FILING_APPROVED_CLEAN: {"weight": "1", "half_life_days": 365},
        EventKind.FALSE_FILING: {"weight": "-30", "half_life_days": 1095},
        EventKind.PENALTY: {"weight": "-10", "half_life_days": 730},
        EventKind.SERIOUS_VIOLATION: {"weight": "-40", "half_life_days": 1095},
        EventKind.CERTIFICATION: {"weight": "0", "half_life_days": None},
        EventKind.INSPECTION_PASSED: {"weight": "3", "half_life_days": 365},
        EventKind.INSPECTION_FAILED: {"weight": "-8", "half_life_days": 730},
        EventKind.ASSOCIATION_RATING: {"weight": "4", "half_life_days": 730},
        EventKind.ASSOCIATION_RATING_POOR: {"weight": "-4", "half_life_days": 730},
        EventKind.THIRD_PARTY_REPORT: {"weight": "2", "half_life_days": 365},
        EventKind.THIRD_PARTY_REPORT_ADVERSE: {"weight": "-6", "half_life_days": 730},
    },
    "certificate_weights": {CertificateType.ISO45001: "10", CertificateType.ISM: "10", CertificateType.AEO: "15"},
    "repaired_factor": "0.5",
    "recognised_factor": "1",
    "overrides": {
        "certificate_to_a": [CertificateType.ISM],
        "d_trigger_kinds": [EventKind.FALSE_FILING, EventKind.SERIOUS_VIOLATION],
        "d_period_days": 365,
        "recognised_triggers": True,
    },
    "measures": {
        "A": {
            "inspection_sampling_weight": "0.5",
            "filing_priority": 1,
            "review_deadline_hours": 12,
            "fast_lane": True,
            "extra_review_departments": [],
        },
        "B": {
            "inspection_sampling_weight": "1",
            "filing_priority": 2,
            "review_deadline_hours": 24,
            "fast_lane": True,
            "extra_review_departments": [],
        },
        "C": {
            "inspection_sampling_weight": "1.5",
            "filing_priority": 3,
            "review_deadline_hours": 48,
            "fast_lane": False,
            "extra_review_departments": [],
        },
        "D": {
            "inspection_sampling_weight": "4",
            "filing_priority": 4,
            "review_deadline_hours": 72,
            "fast_lane": False,
            "extra_review_departments": ["customs", "commerce"],
        },
    },
    "publication": {"grades": ["A", "D"]},
    "objection_days": 20,
}


def default_rules() -> dict[str, Any]:
    return json_rules(DEFAULT_RULES)


def json_rules(rules: dict[str, Any]) -> dict[str, Any]:
    """A deep copy with enum keys turned into plain strings (what the JSON column stores)."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, str):
            return str(value)
        return value

    return plain(copy.deepcopy(rules))


# --- validation --------------------------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def validate_rules(rules: Any) -> dict[str, Any]:
    """Check a policy's rules; raise ValidationFailed naming every bad path (e.g. `kinds.penalty.weight`)."""
    errors: dict[str, list[str]] = {}

    def fail(path: str, message: str) -> None:
        errors.setdefault(path, []).append(str(message))

    if not isinstance(rules, dict):
        raise ValidationFailed.for_fields({"rules": [_("The rules must be a JSON object.")]})

    def number(path: str, value: Any, *, low: Decimal | None = None, high: Decimal | None = None) -> Decimal | None:
        num = _decimal(value)
        if num is None:
            fail(path, _('Expected a number, e.g. "2.5".'))
            return None
        if (low is not None and num < low) or (high is not None and num > high):
            fail(path, _("Expected a number between %(low)s and %(high)s.") % {"low": low, "high": high})
        return num

    def integer(path: str, value: Any, *, low: int, high: int, optional: bool = False) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            fail(path, _("Expected a whole number between %(low)s and %(high)s.") % {"low": low, "high": high})

    low = number("min_score", rules.get("min_score"))
    high = number("max_score", rules.get("max_score"))
    base = number("base_score", rules.get("base_score"))
    if low is not None and high is not None and low >= high:
        fail("max_score", _("The highest score must be above the lowest."))
    if base is not None and low is not None and high is not None and not low <= base <= high:
        fail("base_score", _("The base score must lie between the lowest and the highest score."))

    thresholds = rules.get("thresholds")
    if not isinstance(thresholds, dict):
        fail("thresholds", _("Expected an object with the lowest score of grades A, B and C."))
    else:
        values = [number(f"thresholds.{g}", thresholds.get(g)) for g in ("A", "B", "C")]
        if all(v is not None for v in values) and not values[0] > values[1] > values[2]:
            fail("thresholds", _("Thresholds must fall strictly from A to B to C."))

    kinds = rules.get("kinds")
    if not isinstance(kinds, dict):
        fail("kinds", _("Expected an object with one entry per event kind."))
    else:
        for kind in EventKind.values:
            spec = kinds.get(kind)
            if not isinstance(spec, dict):
                fail(f"kinds.{kind}", _("Missing: every event kind needs a weight and a half-life."))
                continue
            number(f"kinds.{kind}.weight", spec.get("weight"), low=Decimal(-100), high=Decimal(100))
            integer(f"kinds.{kind}.half_life_days", spec.get("half_life_days"), low=1, high=36500, optional=True)
        for kind in kinds:
            if kind not in EventKind.values:
                fail(f"kinds.{kind}", _("Unknown event kind."))

    weights = rules.get("certificate_weights")
    if not isinstance(weights, dict):
        fail("certificate_weights", _("Expected an object with one weight per certificate type."))
    else:
        for cert in CertificateType.values:
            number(f"certificate_weights.{cert}", weights.get(cert), low=Decimal(0), high=Decimal(100))
    number("repaired_factor", rules.get("repaired_factor"), low=Decimal(0), high=Decimal(1))
    number("recognised_factor", rules.get("recognised_factor"), low=Decimal(0), high=Decimal(1))

    overrides = rules.get("overrides")
    if not isinstance(overrides, dict):
        fail("overrides", _("Expected an object."))
    else:
        certs = overrides.get("certificate_to_a")
        if not isinstance(certs, list) or any(c not in CertificateType.values for c in certs):
            fail("overrides.certificate_to_a", _("Expected a list of certificate types (ISO45001, ISM, AEO)."))
        triggers = overrides.get("d_trigger_kinds")
        if not isinstance(triggers, list) or any(k not in EventKind.values for k in triggers):
            fail("overrides.d_trigger_kinds", _("Expected a list of event kinds."))
        integer("overrides.d_period_days", overrides.get("d_period_days"), low=1, high=3650)
        if not isinstance(overrides.get("recognised_triggers"), bool):
            fail("overrides.recognised_triggers", _("Expected true or false."))

    measures = rules.get("measures")
    if not isinstance(measures, dict):
        fail("measures", _("Expected an object with the measures of grades A, B, C and D."))
    else:
        for grade in GRADE_ORDER:
            spec = measures.get(grade)
            if not isinstance(spec, dict):
                fail(f"measures.{grade}", _("Missing: every grade needs its measures."))
                continue
            number(
                f"measures.{grade}.inspection_sampling_weight",
                spec.get("inspection_sampling_weight"),
                low=Decimal(0),
                high=Decimal(100),
            )
            integer(f"measures.{grade}.filing_priority", spec.get("filing_priority"), low=1, high=100)
            integer(f"measures.{grade}.review_deadline_hours", spec.get("review_deadline_hours"), low=1, high=2400)
            if not isinstance(spec.get("fast_lane"), bool):
                fail(f"measures.{grade}.fast_lane", _("Expected true or false."))
            depts = spec.get("extra_review_departments")
            if not isinstance(depts, list) or any(d not in DEPARTMENT_CODES for d in depts):
                fail(
                    f"measures.{grade}.extra_review_departments",
                    _("Expected a list of department codes (%(codes)s).") % {"codes": ", ".join(DEPARTMENT_CODES)},
                )

    publication = rules.get("publication")
    if not isinstance(publication, dict) or not isinstance(publication.get("grades"), list):
        fail("publication.grades", _("Expected a list of grades to publish."))
    elif any(g not in GRADE_ORDER for g in publication["grades"]):
        fail("publication.grades", _("Expected grades among A, B, C, D."))
    integer("objection_days", rules.get("objection_days"), low=1, high=60)

    if errors:
        raise ValidationFailed.for_fields(errors)
    return json_rules(rules)


# --- scoring -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    """What the scorer needs of one event (a values_list row, or built from an imported record)."""

    id: int
    kind: str
    occurred_on: date
    certificate_type: str = ""
    valid_until: date | None = None
    status: str = EventStatus.ACTIVE
    recognised_from: str = ""  # peer zone id, empty for this zone's own events


@dataclass
class Factor:
    label: str  # "base", "event", "bound"
    contribution: Decimal
    event_id: int | None = None
    kind: str = ""
    occurred_on: date | None = None
    certificate_type: str = ""
    weight: Decimal | None = None
    decay: Decimal | None = None
    status_factor: Decimal | None = None
    recognised_from: str = ""


@dataclass
class Result:
    score: Decimal
    score_grade: str
    grade: str
    factors: list[Factor] = field(default_factory=list)
    overrides: list[dict[str, Any]] = field(default_factory=list)
    not_counted: list[dict[str, Any]] = field(default_factory=list)


class Scorer:
    """Scores events under one policy's rules. Contributions are Decimals rounded to cents; the score is their
    exact sum (base + events, plus one bound factor when the sum leaves [min, max]), so an explanation always adds
    up. Contributions are cached by their inputs, which makes the zone-wide re-grade fast."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self.rules = rules
        self.base = Decimal(rules["base_score"])
        self.low = Decimal(rules["min_score"])
        self.high = Decimal(rules["max_score"])
        self.thresholds = [(g, Decimal(rules["thresholds"][g])) for g in ("A", "B", "C")]
        self.kinds = {k: (Decimal(v["weight"]), v.get("half_life_days")) for k, v in rules["kinds"].items()}
        self.cert_weights = {k: Decimal(v) for k, v in rules["certificate_weights"].items()}
        self.repaired_factor = Decimal(rules["repaired_factor"])
        self.recognised_factor = Decimal(rules["recognised_factor"])
        overrides = rules["overrides"]
        self.certificate_to_a = set(overrides["certificate_to_a"])
        self.d_triggers = set(overrides["d_trigger_kinds"])
        self.d_period = int(overrides["d_period_days"])
        self.recognised_triggers = bool(overrides["recognised_triggers"])
        self._cache: dict[tuple, tuple[Decimal, Decimal, Decimal, Decimal]] = {}

    def decay(self, half_life: int | None, age_days: int) -> Decimal:
        """2^(−age/half-life), rounded to six places; 1 without a half-life."""
        if not half_life or age_days <= 0:
            return Decimal(1)
        return Decimal(repr(math.pow(0.5, age_days / half_life))).quantize(DECAY_PLACES, rounding=ROUND_HALF_UP)

    def grade_of(self, score: Decimal) -> str:
        for grade, threshold in self.thresholds:
            if score >= threshold:
                return grade
        return "D"

    def _contribution(self, row: EventRow, age: int) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        key = (row.kind, row.certificate_type, age, row.status, bool(row.recognised_from))
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        weight, half_life = self.kinds.get(row.kind, (Decimal(0), None))
        if row.kind == EventKind.CERTIFICATION:
            weight = self.cert_weights.get(row.certificate_type, Decimal(0))
            half_life = None
        decay = self.decay(half_life, age)
        status_factor = self.repaired_factor if row.status == EventStatus.REPAIRED else Decimal(1)
        if row.recognised_from:
            status_factor *= self.recognised_factor
        value = (weight * decay * status_factor).quantize(CENT, rounding=ROUND_HALF_UP)
        hit = (value, weight, decay, status_factor)
        self._cache[key] = hit
        return hit

    def score(self, rows: Iterable[EventRow], *, as_of: date, explain: bool = False) -> Result:
        total = self.base
        factors: list[Factor] = [Factor("base", self.base)] if explain else []
        not_counted: list[dict[str, Any]] = []
        d_trigger: dict[str, Any] | None = None
        certificate_a: dict[str, Any] | None = None
        for row in rows:
            if row.occurred_on > as_of:
                if explain:
                    not_counted.append({"event_id": row.id, "kind": row.kind, "reason": "future"})
                continue
            if row.status == EventStatus.ANNULLED:
                if explain:
                    not_counted.append({"event_id": row.id, "kind": row.kind, "reason": "annulled"})
                continue
            if row.kind == EventKind.CERTIFICATION and row.valid_until is not None and row.valid_until < as_of:
                if explain:
                    not_counted.append({"event_id": row.id, "kind": row.kind, "reason": "expired"})
                continue
            age = (as_of - row.occurred_on).days
            value, weight, decay, status_factor = self._contribution(row, age)
            total += value
            if explain:
                factors.append(
                    Factor(
                        "event",
                        value,
                        event_id=row.id,
                        kind=row.kind,
                        occurred_on=row.occurred_on,
                        certificate_type=row.certificate_type,
                        weight=weight,
                        decay=decay,
                        status_factor=status_factor,
                        recognised_from=row.recognised_from,
                    )
                )
            if (
                row.kind in self.d_triggers
                and row.status == EventStatus.ACTIVE
                and age < self.d_period
                and (self.recognised_triggers or not row.recognised_from)
            ):
                until = row.occurred_on + timedelta(days=self.d_period)
                if d_trigger is None or until > date.fromisoformat(d_trigger["until"]):
                    d_trigger = {
                        "rule": "d_trigger",
                        "grade": "D",
                        "event_id": row.id,
                        "kind": row.kind,
                        "until": until.isoformat(),
                        "recognised_from": row.recognised_from,
                    }
            if (
                row.kind == EventKind.CERTIFICATION
                and row.certificate_type in self.certificate_to_a
                and certificate_a is None
            ):
                certificate_a = {
                    "rule": "certificate_to_a",
                    "grade": "A",
                    "event_id": row.id,
                    "certificate_type": row.certificate_type,
                    "until": row.valid_until.isoformat() if row.valid_until else "",
                    "recognised_from": row.recognised_from,
                }
        if total > self.high or total < self.low:
            bound = self.high if total > self.high else self.low
            if explain:
                factors.append(Factor("bound", bound - total))
            total = bound
        score_grade = self.grade_of(total)
        overrides: list[dict[str, Any]] = []
        grade = score_grade
        if d_trigger is not None:
            grade = "D"
            overrides.append(d_trigger)
        elif certificate_a is not None:
            grade = "A"
            overrides.append(certificate_a)
        return Result(total, score_grade, grade, factors, overrides, not_counted)
