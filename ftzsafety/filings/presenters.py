"""Filings as plain dicts for the API and the pages (masking applied to the declared sensitive fields)."""

from typing import Any

from ftzsafety.accounts.choices import DepartmentCode
from ftzsafety.filings.models import DepartmentReview, Filing


def department_name(code: str) -> str:
    try:
        return str(DepartmentCode(code).label)
    except ValueError:
        return code


def review_dict(review: DepartmentReview) -> dict[str, Any]:
    return {
        "id": review.pk,
        "department": review.department,
        "department_name": department_name(review.department),
        "status": review.status,
        "reason": review.reason,
        "priority": review.priority,
        "started_at": review.started_at,
        "deadline_at": review.deadline_at,
        "paused_seconds": review.paused_seconds,
        "decided_at": review.decided_at,
        "opinion": review.opinion,
        "info_request": review.info_request,
        "info_response": review.info_response,
    }


def filing_list_item(filing: Filing) -> dict[str, Any]:
    return {
        "id": filing.pk,
        "reference": filing.reference,
        "filing_type": filing.filing_type.code,
        "status": filing.status,
        "enterprise_uscc": filing.enterprise.uscc,
        "enterprise_name": filing.enterprise.name_zh,
        "credit_grade": filing.credit_grade,
        "priority": filing.priority,
        "submitted_at": filing.submitted_at,
        "decided_at": filing.decided_at,
        "reviews": [{"department": r.department, "status": r.status} for r in filing.reviews.all()],
    }


def filing_detail(actor: Any, filing: Filing, certificate: Any = None) -> dict[str, Any]:
    from ftzsafety.security.masking import mask_instance

    masked = mask_instance(actor, filing, ["contact_name", "contact_phone"])
    return {
        **filing_list_item(filing),
        "form": filing.form,
        "contact_name": masked["contact_name"],
        "contact_phone": masked["contact_phone"],
        "fast_lane": filing.fast_lane,
        "false_filing": filing.false_filing,
        "prereview_round": filing.prereview_round,
        "findings": [
            {
                "rule_id": f.rule_id,
                "severity": f.severity,
                "field": f.field,
                "message_zh": f.message_zh,
                "message_en": f.message_en,
                "source": f.source,
                "round": f.round,
            }
            for f in filing.findings.all()
            if f.round == filing.prereview_round
        ],
        "attachments": [
            {
                "id": a.pk,
                "kind": a.kind,
                "un_number": a.un_number,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "sm3": a.sm3,
                "sections": a.sections,
            }
            for a in filing.attachments.all()
        ],
        "events": [
            {
                "kind": e.kind,
                "at": e.at,
                "department": e.department,
                "status": e.status,
                "note": e.note,
                "actor": str(e.actor) if e.actor_id else "",
            }
            for e in filing.events.all()
        ],
        "certificate": (
            {
                "id": certificate.pk,
                "number": certificate.number,
                "status": certificate.status,
                "payload": certificate.payload,
            }
            if certificate is not None
            else None
        ),
    }
