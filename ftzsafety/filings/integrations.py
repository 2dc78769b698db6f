"""Where filings meet the e-certificates (h-certs, `ftzsafety.certificates`) and credit grading (`ftzsafety.credit`)
apps — only through their services and selectors (/tmp/coord/certificates.md, /tmp/coord/credit.md)."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ftzsafety.filings import clock
from ftzsafety.filings.choices import FilingTypeCode

# A DG certificate covers the arrival: from approval until three days after the declared ETA.
DG_VALIDITY_AFTER_ETA = timedelta(days=3)


@dataclass(frozen=True)
class CreditMeasures:
    """What the enterprise's credit grade means for a filing (PRODUCT.md P3.1): priority in the queues (lower goes
    first), the deadline factor, extra departments for grade D, the fast lane. Values come from credit policy."""

    grade: str = ""
    priority: int = 3
    deadline_factor: float = 1.0
    extra_departments: tuple[str, ...] = ()
    fast_lane: bool = False


def credit_measures(filing: Any) -> CreditMeasures:
    from ftzsafety.credit.selectors import measures_for

    measures = measures_for(enterprise=filing.enterprise)
    return CreditMeasures(
        grade=measures.grade,
        priority=int(measures.filing_priority),
        deadline_factor=float(measures.review_deadline_factor),
        extra_departments=tuple(measures.extra_review_departments),
        fast_lane=bool(measures.fast_lane),
    )


def _credit_event(*, filing: Any, actor: Any, kind: str, detail: dict[str, Any]) -> None:
    from django.urls import reverse

    from ftzsafety.credit.services import credit_event_record

    credit_event_record(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        enterprise=filing.enterprise,
        kind=kind,
        occurred_on=timezone.localdate(clock.now()),
        source_module="filings",
        source_ref=filing.reference,
        evidence_url=reverse("filings:detail", args=[filing.pk]),
        detail=detail,
    )


def credit_event_approved_clean(*, filing: Any, actor: Any) -> None:
    """A filing approved with no pre-review finding at all counts for the enterprise's credit."""
    from ftzsafety.credit.choices import EventKind

    _credit_event(
        filing=filing, actor=actor, kind=EventKind.FILING_APPROVED_CLEAN, detail={"type": filing.filing_type.code}
    )


def credit_event_false_filing(*, filing: Any, actor: Any, reasons: list[str], note: str) -> None:
    from ftzsafety.credit.choices import EventKind

    _credit_event(
        filing=filing, actor=actor, kind=EventKind.FALSE_FILING, detail={"reasons": reasons, "note": note[:500]}
    )


def _end_of_day(value: str) -> datetime | None:
    day = parse_date(value or "")
    return timezone.make_aware(datetime.combine(day, time(23, 59))) if day else None


def certificate_terms(filing: Any) -> tuple[list[tuple[str, Decimal, str]], datetime, datetime]:
    """Goods lines and validity window of the filing's certificate."""
    start = clock.now()
    form = filing.form
    lines: list[tuple[str, Decimal, str]] = []
    if filing.filing_type.code == FilingTypeCode.DG_PRE_ARRIVAL:
        lines = [(g["un_number"], Decimal(g["quantity"]), g["unit"]) for g in form.get("goods", [])]
        eta = parse_datetime(form.get("eta", ""))
        until = (eta or start) + DG_VALIDITY_AFTER_ETA
    elif filing.filing_type.code == FilingTypeCode.SAFETY_QUALIFICATION:
        until = _end_of_day(form.get("valid_until", "")) or start + timedelta(days=365)
    else:
        until = _end_of_day(form.get("end_date", "")) or start + timedelta(days=30)
    return lines, start, max(until, start + timedelta(hours=1))


def certificate_issue(*, filing: Any, actor: Any) -> dict[str, Any] | None:
    """Issue the approved filing's SM2-signed e-certificate in the approving transaction (h-certs' service)."""
    from ftzsafety.certificates.services import certificate_issue as issue

    lines, start, until = certificate_terms(filing)
    certificate = issue(
        actor=actor,
        filing_ref=filing.reference,
        enterprise=filing.enterprise,
        lines=lines,
        valid_from=start,
        valid_until=until,
        title=filing.filing_type.name_zh,
    )
    return {"certificate_id": certificate.pk, "number": certificate.number}


def certificate_of(*, actor: Any, filing: Any) -> Any:
    from ftzsafety.certificates.selectors import certificate_for_filing

    return certificate_for_filing(actor=actor, filing_ref=filing.reference)


def certificate_revoke(*, filing: Any, actor: Any, reason: str) -> None:
    from ftzsafety.certificates.services import certificate_revoke as revoke

    certificate = certificate_of(actor=actor, filing=filing)
    if certificate is not None and certificate.status == "valid":
        revoke(actor=actor, certificate=certificate, reason=reason)
