"""Demo credit events (issue 8): three years of history derived for every demo enterprise from its sector —
rectifications on time and overdue, clean filings, inspections, association ratings, the odd penalty, and the
certifications firms of that kind hold (ISO 45001 for producers and storage, the ISM Code for ship operators,
customs AEO for traders and forwarders). Recorded through `credit.services` (each audited), marked `is_demo`,
then the zone is graded once. Deterministic (seeded random); skipped when demo credit events exist.

Two named examples: the first ocean-shipping firm (GB/T 4754 class 5521) holds a valid ISM document of
compliance → grade A; the first 5162 trader has an established false filing → grade D (customs and commerce
review its filings). The demo enterprise account (a 5169 trader) has a good record with one overdue hazard it can
object to.
"""

import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from ftzsafety.credit.choices import EventKind
from ftzsafety.credit.models import CreditEvent
from ftzsafety.credit.services import credit_event_record, credit_regrade_zone
from ftzsafety.enterprises.models import Enterprise

SEED = 20261208
HISTORY_DAYS = 3 * 365

# industry class → (certificate types and the share of firms holding one, per-year rates of events)
CERTIFICATES: dict[str, tuple[tuple[str, float], ...]] = {
    "5521": (("ISM", 0.6),),
    "5532": (("ISM", 0.3), ("ISO45001", 0.2)),
    "5942": (("ISO45001", 0.35),),
    "5169": (("AEO", 0.15), ("ISO45001", 0.15)),
    "5162": (("AEO", 0.1),),
    "5821": (("AEO", 0.25),),
    "5292": (("AEO", 0.15),),
    "3841": (("ISO45001", 0.35),),
    "3922": (("ISO45001", 0.3),),
    "3311": (("ISO45001", 0.25),),
    "2710": (("ISO45001", 0.3),),
}
HAZCHEM = {"5942", "5169", "5162"}
FILERS = HAZCHEM | {"5821", "5521", "5532", "3841"}


def _ref(enterprise: Enterprise, kind: str, n: int) -> str:
    return f"DEMO-{enterprise.uscc[-8:]}-{kind[:12]}-{n}"


def _day(rng: random.Random, today: date, newest: int = 1, oldest: int = HISTORY_DAYS) -> date:
    return today - timedelta(days=rng.randint(newest, oldest))


def _plan(enterprise: Enterprise, rng: random.Random, today: date) -> list[dict[str, Any]]:
    """The events of one firm: rates by sector, each with a date in the last three years."""
    code = enterprise.industry_class_id or ""
    events: list[dict[str, Any]] = []

    def add(kind: str, module: str, when: date, **detail: Any) -> None:
        events.append({"kind": kind, "module": module, "when": when, "detail": detail})

    hazard_rate = 3 if code in HAZCHEM else 2
    for _ in range(rng.randint(0, hazard_rate * 2)):
        add(EventKind.HAZARD_RECTIFIED_ON_TIME, "hazards", _day(rng, today))
    if rng.random() < 0.18:
        add(EventKind.HAZARD_OVERDUE, "hazards", _day(rng, today, 20))
    if code in HAZCHEM and rng.random() < 0.06:
        add(EventKind.MAJOR_HAZARD_FOUND, "hazards", _day(rng, today, 30))
    if code in FILERS:
        for _ in range(rng.randint(1, 8)):
            add(EventKind.FILING_APPROVED_CLEAN, "filings", _day(rng, today))
    for _ in range(rng.randint(0, 2)):
        add(EventKind.INSPECTION_PASSED, "manual:emergency", _day(rng, today))
    if rng.random() < 0.1:
        add(EventKind.INSPECTION_FAILED, "manual:emergency", _day(rng, today, 60))
    if rng.random() < 0.07:
        add(EventKind.PENALTY, "manual:market", _day(rng, today, 60))
    if code in HAZCHEM and rng.random() < 0.3:
        add(EventKind.ASSOCIATION_RATING, "manual:zone_admin", _day(rng, today, 30, 700))
    for certificate, share in CERTIFICATES.get(code, ()):
        if rng.random() < share:
            issued = _day(rng, today, 60, 1000)
            expires = issued + timedelta(days=3 * 365 if certificate != "ISM" else 5 * 365)
            add(EventKind.CERTIFICATION, "manual:zone_admin", issued, certificate_type=certificate, expires_on=expires)
    return events


def _named(enterprises: list[Enterprise], account_uscc: str, today: date) -> dict[int, list[dict[str, Any]]]:
    """The three examples the demo walks through (see the module docstring)."""
    named: dict[int, list[dict[str, Any]]] = {}
    ism = next((e for e in enterprises if e.industry_class_id == "5521"), None)
    if ism is not None:
        named[ism.pk] = [
            {
                "kind": EventKind.CERTIFICATION,
                "module": "manual:maritime",
                "when": today - timedelta(days=400),
                "detail": {"certificate_type": "ISM", "expires_on": today + timedelta(days=1425)},
            },
            {
                "kind": EventKind.INSPECTION_PASSED,
                "module": "manual:maritime",
                "when": today - timedelta(days=120),
                "detail": {},
            },
            {
                "kind": EventKind.FILING_APPROVED_CLEAN,
                "module": "filings",
                "when": today - timedelta(days=35),
                "detail": {},
            },
        ]
    false_filer = next((e for e in enterprises if e.industry_class_id == "5162" and e.uscc != account_uscc), None)
    if false_filer is not None:
        named[false_filer.pk] = [
            {
                "kind": EventKind.FILING_APPROVED_CLEAN,
                "module": "filings",
                "when": today - timedelta(days=300),
                "detail": {},
            },
            {
                "kind": EventKind.FALSE_FILING,
                "module": "filings",
                "when": today - timedelta(days=42),
                "detail": {"finding": "申报UN1993易燃液体，查验为UN1203汽油，包装类别不符"},
            },
            {
                "kind": EventKind.HAZARD_RECTIFIED_ON_TIME,
                "module": "hazards",
                "when": today - timedelta(days=20),
                "detail": {},
            },
        ]
    account = next((e for e in enterprises if e.uscc == account_uscc), None)
    if account is not None:
        named[account.pk] = [
            {
                "kind": EventKind.CERTIFICATION,
                "module": "manual:customs",
                "when": today - timedelta(days=500),
                "detail": {"certificate_type": "AEO", "expires_on": today + timedelta(days=595)},
            },
            *[
                {
                    "kind": EventKind.HAZARD_RECTIFIED_ON_TIME,
                    "module": "hazards",
                    "when": today - timedelta(days=d),
                    "detail": {},
                }
                for d in (25, 90, 160, 230)
            ],
            *[
                {
                    "kind": EventKind.FILING_APPROVED_CLEAN,
                    "module": "filings",
                    "when": today - timedelta(days=d),
                    "detail": {},
                }
                for d in (12, 48, 75, 130, 210, 320)
            ],
            {
                "kind": EventKind.ASSOCIATION_RATING,
                "module": "manual:zone_admin",
                "when": today - timedelta(days=200),
                "detail": {},
            },
            *[
                {"kind": EventKind.INSPECTION_PASSED, "module": "manual:emergency", "when": today - timedelta(days=d)}
                for d in (60, 180)
            ],
            {"kind": EventKind.HAZARD_OVERDUE, "module": "hazards", "when": today - timedelta(days=8), "detail": {}},
        ]
    return named


def seed_credit(report: Any = None, *, account_uscc: str = "") -> dict[str, int]:
    """Record the demo credit history and grade the zone. Returns counts (and adds them to the seed report)."""
    counts = {"credit_events": 0}
    if CreditEvent.objects.filter(is_demo=True).exists():
        return counts
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not a secret
    today = timezone.localdate()
    enterprises = list(Enterprise.objects.filter(is_demo=True).order_by("uscc"))
    named = _named(enterprises, account_uscc, today)
    for enterprise in enterprises:
        planned = _plan(enterprise, rng, today)  # drawn for every firm so the sequence stays stable
        for n, event in enumerate(named.get(enterprise.pk, planned), start=1):
            detail = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in event.get("detail", {}).items()}
            credit_event_record(
                actor=None,
                enterprise=enterprise,
                kind=event["kind"],
                occurred_on=event["when"],
                source_module=event["module"],
                source_ref=_ref(enterprise, event["kind"], n),
                evidence_url="",
                detail={**detail, "demo": True},
                _is_demo=True,
                _regrade=False,
            )
            counts["credit_events"] += 1
    graded = credit_regrade_zone(actor=None)
    counts["credit_grades"] = graded.enterprises
    if report is not None:
        report.created["credit_events"] += counts["credit_events"]
        report.created["credit_grades"] += graded.enterprises
    return counts
