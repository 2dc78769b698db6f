"""Writes of the filings workflow. Each transition is one service: it locks the filing, checks the actor and the
state, writes the change, appends a FilingEvent and an audit record in the same transaction.

States (PRODUCT.md P3.2, P3.4): draft → submitted → pre-review failed | in review → (information requested ↔
resubmitted) → approved | rejected → revoked. Pre-review runs inside `filing_submit`; blocking findings stop the
filing (pre-review failed), the enterprise corrects it and submits again. Passing it opens one review per required
department at once; any rejection rejects the filing, all approvals approve it, a request for information pauses
only that department's clock.
"""

import uuid
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ftzsafety import audit
from ftzsafety.core import authz
from ftzsafety.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ftzsafety.filings import clock, integrations, policies, rules
from ftzsafety.filings import sds as sds_text
from ftzsafety.filings.choices import (
    EDITABLE_STATUSES,
    REVIEWING_STATUSES,
    AttachmentKind,
    EventKind,
    FilingStatus,
    FilingTypeCode,
    ReviewDecision,
    ReviewStatus,
    Severity,
)
from ftzsafety.filings.kinds import kind_for
from ftzsafety.filings.models import (
    DepartmentReview,
    Destination,
    Filing,
    FilingAttachment,
    FilingEvent,
    FilingType,
    PreReviewFinding,
    ReviewRule,
)

REFERENCE_PREFIX = {
    FilingTypeCode.DG_PRE_ARRIVAL: "DG",
    FilingTypeCode.SAFETY_QUALIFICATION: "QF",
    FilingTypeCode.FOREIGN_TRAINING: "TR",
}
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ATTACHMENT_TYPES = {
    AttachmentKind.SDS: ("pdf", "text"),
    AttachmentKind.LICENCE: ("pdf", "png", "jpeg"),
    AttachmentKind.CURRICULUM: ("pdf", "text"),
}
FALSE_FILING_REASONS = {
    "goods_mismatch": ("申报货物与实际不符", "Declared goods differ from the goods found"),
    "class_misdeclared": ("危险类别或包装类别申报不实", "Class or packing group misdeclared"),
    "sds_forged": ("安全技术说明书不实", "Safety data sheet untrue"),
    "quantity_mismatch": ("数量申报不实", "Quantity misdeclared"),
    "qualification_untrue": ("资质材料不实", "Qualification documents untrue"),
}


def _actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(
    filing: Filing,
    kind: str,
    actor: Any,
    *,
    department: str = "",
    note: str = "",
    detail: dict | None = None,
) -> FilingEvent:
    return FilingEvent.objects.create(
        filing=filing,
        kind=kind,
        at=clock.now(),
        actor=_actor_or_none(actor),
        department=department,
        status=filing.status,
        note=note,
        detail=detail or {},
    )


def _snapshot(filing: Filing) -> dict[str, Any]:
    return {"status": filing.status, "reference": filing.reference, "type": filing.filing_type.code}


def _locked(actor: Any, filing_id: int) -> Filing:
    """The filing, visible to the actor (else NotFound), locked for the rest of the transaction."""
    authz.get_visible(actor, Filing.objects.all(), pk=filing_id)
    return Filing.objects.select_for_update().select_related("filing_type", "enterprise").get(pk=filing_id)


def _require_file(actor: Any, filing: Filing | None = None) -> None:
    if not policies.can_file(actor, filing):
        raise PermissionDenied(_("Only the enterprise's own staff may file and correct its filings."))


# --- drafts ---------------------------------------------------------------------------------------------------


@audit.record_denials("filings.filing.create")
@transaction.atomic
def filing_create(*, actor: Any, filing_type: str, form: dict[str, Any], is_demo: bool = False) -> Filing:
    """A draft filing of `filing_type` by the actor's own enterprise, its form validated (kinds.py)."""
    from ftzsafety.enterprises.selectors import enterprise_get_own

    _require_file(actor)
    enterprise = enterprise_get_own(actor=actor)
    if enterprise is None:
        raise PermissionDenied(_("Your account is not linked to an enterprise in the registry."))
    try:
        ftype = FilingType.objects.get(code=filing_type, is_active=True)
    except FilingType.DoesNotExist:
        raise ValidationFailed.for_fields(
            {"filing_type": [_("“%(code)s” is not a filing type offered.") % {"code": str(filing_type)[:40]}]}
        ) from None
    cleaned = kind_for(ftype.code).clean(form or {})
    now = clock.now()
    filing = Filing.objects.create(
        reference=f"tmp-{uuid.uuid4().hex[:20]}",  # replaced by the numbered reference below
        filing_type=ftype,
        enterprise=enterprise,
        owner=enterprise.organisation,
        created_by=actor,
        form=cleaned.form,
        contact_name=cleaned.contact_name,
        contact_phone=cleaned.contact_phone,
        is_demo=is_demo,
    )
    filing.reference = f"{REFERENCE_PREFIX[ftype.code]}-{now:%Y%m%d}-{filing.pk:06d}"
    filing.save(update_fields=["reference"])
    _event(filing, EventKind.CREATED, actor)
    audit.record(actor=actor, action="filings.filing.create", target=filing, after=_snapshot(filing))
    return filing


@audit.record_denials("filings.filing.update")
@transaction.atomic
def filing_update(*, actor: Any, filing_id: int, form: dict[str, Any]) -> Filing:
    """Correct a draft or a filing that failed pre-review."""
    filing = _locked(actor, filing_id)
    _require_file(actor, filing)
    if filing.status not in EDITABLE_STATUSES:
        raise InvalidTransition(
            _("A filing in state “%(status)s” cannot be changed.") % {"status": filing.get_status_display()}
        )
    cleaned = kind_for(filing.filing_type.code).clean(form or {})
    before = dict(filing.form)
    filing.form = cleaned.form
    filing.contact_name, filing.contact_phone = cleaned.contact_name, cleaned.contact_phone
    filing.save(update_fields=["form", "contact_name", "contact_phone", "updated_at"])
    changed = sorted(k for k in set(before) | set(cleaned.form) if before.get(k) != cleaned.form.get(k))
    _event(filing, EventKind.UPDATED, actor, detail={"changed": changed})
    audit.record(actor=actor, action="filings.filing.update", target=filing, detail={"changed": changed})
    return filing


@audit.record_denials("filings.attachment.add")
@transaction.atomic
def filing_attachment_add(
    *, actor: Any, filing_id: int, upload: Any, kind: str, un_number: str = ""
) -> FilingAttachment:
    """Attach a document: an SDS for one of the filing's UN numbers (PDF or UTF-8 text; its 16 sections are
    recognised, GB/T 16483-2008), a licence scan or a curriculum. Size and type limits: core.uploads. An SDS
    replaces the earlier one for the same UN number."""
    from ftzsafety.core.uploads import check_upload
    from ftzsafety.dangerous_goods.identifiers import parse_un_number

    filing = _locked(actor, filing_id)
    _require_file(actor, filing)
    if filing.status not in EDITABLE_STATUSES | {FilingStatus.INFO_REQUESTED}:
        raise InvalidTransition(
            _(
                "Documents can be added to drafts, to filings that failed pre-review, and when a department asks for "
                "information."
            )
        )
    if kind not in ATTACHMENT_TYPES:
        raise ValidationFailed.for_fields({"kind": [_("Unknown document kind.")]})
    if kind not in kind_for(filing.filing_type.code).attachment_kinds:
        raise ValidationFailed.for_fields({"kind": [_("This filing type does not take this kind of document.")]})
    number = ""
    if kind == AttachmentKind.SDS:
        try:
            number = parse_un_number(un_number)
        except ValueError as problem:
            raise ValidationFailed.for_fields({"un_number": [str(problem)]}) from None
        if number not in {g["un_number"] for g in filing.form.get("goods", [])}:
            raise ValidationFailed.for_fields(
                {"un_number": [_("%(number)s is not one of this filing's goods lines.") % {"number": number}]}
            )
    checked = check_upload(upload, field="file", allowed_kinds=ATTACHMENT_TYPES[kind], max_bytes=MAX_ATTACHMENT_BYTES)
    text = ""
    if checked.kind == "pdf":
        text = sds_text.pdf_text(checked.content)
    elif checked.kind == "text":
        text = checked.content.decode("utf-8-sig")
    sections = sds_text.recognise_sections(text) if kind == AttachmentKind.SDS else []
    if kind == AttachmentKind.SDS:
        for old in FilingAttachment.objects.filter(filing=filing, kind=kind, un_number=number):
            audit.record(actor=actor, action="filings.attachment.replace", target=old, detail={"sm3": old.sm3})
            old.delete()
    attachment = FilingAttachment.objects.create(
        filing=filing,
        owner=filing.owner,
        classification=filing.classification,
        created_by=_actor_or_none(actor),
        kind=kind,
        un_number=number,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sm3=checked.sm3,
        content=checked.content,
        text=text[:200_000],
        sections=sections,
    )
    _event(
        filing,
        EventKind.ATTACHMENT_ADDED,
        actor,
        detail={"kind": kind, "un_number": number, "name": checked.name, "sections": len(sections)},
    )
    audit.record(
        actor=actor,
        action="filings.attachment.add",
        target=attachment,
        after={"kind": kind, "un_number": number, "sm3": checked.sm3, "size": checked.size, "sections": sections},
    )
    return attachment


# Which documents of the enterprise's file (ftzsafety.documents) can stand for which attachment kind.
DOCUMENT_KINDS_FOR = {
    AttachmentKind.LICENCE: ("safety_licence", "qualification"),
    AttachmentKind.SDS: ("sds",),
}


@audit.record_denials("filings.attachment.use_document")
@transaction.atomic
def filing_document_use(*, actor: Any, filing_id: int, document_id: int, un_number: str = "") -> FilingAttachment:
    """File once (PRODUCT.md P2.1): attach a document the enterprise already uploaded to its file instead of a
    second upload. The use is recorded with the documents app (`document_use_record`)."""
    from ftzsafety.dangerous_goods.identifiers import parse_un_number
    from ftzsafety.documents.selectors import document_get
    from ftzsafety.documents.services import document_use_record

    filing = _locked(actor, filing_id)
    _require_file(actor, filing)
    if filing.status not in EDITABLE_STATUSES | {FilingStatus.INFO_REQUESTED}:
        raise InvalidTransition(
            _(
                "Documents can be added to drafts, to filings that failed pre-review, and when a "
                "department asks for information."
            )
        )
    document = document_get(actor=actor, document_id=document_id)
    if document.enterprise_id != filing.enterprise_id:
        raise NotFound(_("Document not found."))
    kinds = kind_for(filing.filing_type.code).attachment_kinds
    kind = next((k for k in kinds if document.kind in DOCUMENT_KINDS_FOR.get(k, ())), None)
    if kind is None:
        raise ValidationFailed.for_fields({"document": [_("This filing type does not take this kind of document.")]})
    number = ""
    if kind == AttachmentKind.SDS:
        try:
            number = parse_un_number(un_number)
        except ValueError as problem:
            raise ValidationFailed.for_fields({"un_number": [str(problem)]}) from None
    use = document_use_record(
        actor=actor, document=document, used_by=f"filings.{filing.filing_type.code}", ref=filing.reference
    )
    attachment = FilingAttachment.objects.create(
        filing=filing,
        owner=filing.owner,
        classification=filing.classification,
        created_by=_actor_or_none(actor),
        kind=kind,
        un_number=number,
        name=document.file_name or document.title,
        content_type=document.content_type,
        size=document.size,
        sm3=document.sm3,
        content=b"",
        document_ref=str(document.pk),
    )
    _event(filing, EventKind.ATTACHMENT_ADDED, actor, detail={"kind": kind, "document": document.pk, "use": use.pk})
    audit.record(
        actor=actor,
        action="filings.attachment.use_document",
        target=attachment,
        after={"kind": kind, "document": document.pk, "sm3": document.sm3},
    )
    return attachment


@audit.record_denials("filings.attachment.remove")
@transaction.atomic
def filing_attachment_remove(*, actor: Any, attachment_id: int) -> None:
    try:
        filing_id = FilingAttachment.objects.values_list("filing_id", flat=True).get(pk=attachment_id)
    except FilingAttachment.DoesNotExist:
        raise NotFound(_("Document not found.")) from None
    filing = _locked(actor, filing_id)
    _require_file(actor, filing)
    if filing.status not in EDITABLE_STATUSES:
        raise InvalidTransition(_("Documents can be removed only from drafts and filings that failed pre-review."))
    attachment = FilingAttachment.objects.get(pk=attachment_id)
    _event(filing, EventKind.ATTACHMENT_REMOVED, actor, detail={"kind": attachment.kind, "name": attachment.name})
    audit.record(actor=actor, action="filings.attachment.remove", target=attachment, before={"sm3": attachment.sm3})
    attachment.delete()


# --- submission and pre-review ----------------------------------------------------------------------------------


def _open_reviews(filing: Filing, actor: Any) -> list[DepartmentReview]:
    """One review per department whose rule's condition holds, all started now, each with its own deadline."""
    held = kind_for(filing.filing_type.code).conditions(filing, actor=actor)
    chosen: dict[str, ReviewRule] = {}
    for rule in ReviewRule.objects.filter(filing_type=filing.filing_type, is_active=True).order_by("id"):
        if rule.condition not in held:
            continue
        current = chosen.get(rule.department)
        if current is None or rule.deadline_hours < current.deadline_hours:
            chosen[rule.department] = rule
    measures = integrations.credit_measures(filing)
    for extra in measures.extra_departments:
        chosen.setdefault(extra, None)  # type: ignore[arg-type]
    now = clock.now()
    reviews = []
    for department in sorted(chosen):
        rule = chosen[department]
        hours = (rule.deadline_hours if rule else 48) * measures.deadline_factor
        reviews.append(
            DepartmentReview.objects.create(
                filing=filing,
                department=department,
                priority=filing.priority,
                reason=rule.condition if rule else "credit_grade_d",
                started_at=now,
                deadline_at=now + timedelta(hours=hours),
            )
        )
    return reviews


@audit.record_denials("filings.filing.submit")
@transaction.atomic
def filing_submit(*, actor: Any, filing_id: int) -> Filing:
    """Submit (or resubmit after correction): run the automatic pre-review; blocking findings → pre-review
    failed; otherwise → in review with one review per required department, opened in parallel (P3.2, P3.4)."""
    filing = _locked(actor, filing_id)
    _require_file(actor, filing)
    if filing.status not in EDITABLE_STATUSES:
        raise InvalidTransition(
            _("A filing in state “%(status)s” cannot be submitted.") % {"status": filing.get_status_display()}
        )
    now = clock.now()
    measures = integrations.credit_measures(filing)
    filing.status = FilingStatus.SUBMITTED
    filing.submitted_at = now
    filing.prereview_round += 1
    filing.credit_grade = measures.grade
    filing.priority = measures.priority
    filing.fast_lane = measures.fast_lane
    _event(filing, EventKind.SUBMITTED, actor, detail={"round": filing.prereview_round})
    findings = rules.pre_review(filing, actor=actor, now=now)
    PreReviewFinding.objects.bulk_create(
        PreReviewFinding(
            filing=filing,
            round=filing.prereview_round,
            rule_id=f.rule_id,
            severity=f.severity,
            field=f.field,
            message_zh=f.message_zh,
            message_en=f.message_en,
            source=f.source,
            created_at=now,
        )
        for f in findings
    )
    blocking = [f for f in findings if f.severity == Severity.BLOCKING]
    summary = {
        "round": filing.prereview_round,
        "blocking": [f.rule_id for f in blocking],
        "warnings": [f.rule_id for f in findings if f.severity == Severity.WARNING],
    }
    if blocking:
        filing.status = FilingStatus.PREREVIEW_FAILED
        filing.save()
        _event(filing, EventKind.PREREVIEW_FAILED, None, detail=summary)
    else:
        filing.status = FilingStatus.IN_REVIEW
        filing.review_started_at = now
        filing.save()
        _event(filing, EventKind.PREREVIEW_PASSED, None, detail=summary)
        for review in _open_reviews(filing, actor):
            _event(
                filing,
                EventKind.REVIEW_OPENED,
                None,
                department=review.department,
                detail={"deadline_at": review.deadline_at.isoformat(), "reason": review.reason},
            )
    audit.record(actor=actor, action="filings.filing.submit", target=filing, after=_snapshot(filing), detail=summary)
    return filing


# --- department review ------------------------------------------------------------------------------------------


@audit.record_denials("filings.review.decide")
@transaction.atomic
def review_decide(*, actor: Any, review_id: int, decision: str, opinion: str = "") -> DepartmentReview:
    """A reviewer of the review's department approves, rejects or requests information, with an opinion.
    Any rejection rejects the filing; the last approval approves it (and issues its certificate); a request for
    information pauses this department's clock only."""
    try:
        filing_id = DepartmentReview.objects.values_list("filing_id", flat=True).get(pk=review_id)
    except DepartmentReview.DoesNotExist:
        raise NotFound(_("Review not found.")) from None
    filing = _locked(actor, filing_id)
    review = DepartmentReview.objects.select_for_update().get(pk=review_id)
    if not policies.can_decide(actor, review):
        raise PermissionDenied(_("Only a reviewer of this department may decide its review."))
    if decision not in ReviewDecision.values:
        raise ValidationFailed.for_fields(
            {"decision": [_("Decision is one of: %(values)s.") % {"values": ", ".join(ReviewDecision.values)}]}
        )
    opinion = (opinion or "").strip()
    if decision != ReviewDecision.APPROVE and len(opinion) < 2:
        raise ValidationFailed.for_fields({"opinion": [_("Give your reasons: what is wrong or what is needed.")]})
    if len(opinion) > 4000:
        raise ValidationFailed.for_fields({"opinion": [_("At most %(n)d characters.") % {"n": 4000}]})
    if filing.status not in REVIEWING_STATUSES or review.status != ReviewStatus.PENDING:
        raise InvalidTransition(_("This review is not waiting for a decision."))
    now = clock.now()
    before = {"review": review.status, "filing": filing.status}
    if decision == ReviewDecision.REQUEST_INFO:
        review.status = ReviewStatus.INFO_REQUESTED
        review.paused_at = now
        review.info_request = opinion
        review.info_response = ""
        review.save()
        filing.status = FilingStatus.INFO_REQUESTED
        filing.save(update_fields=["status", "updated_at"])
        _event(filing, EventKind.INFO_REQUESTED, actor, department=review.department, note=opinion)
    else:
        review.status = ReviewStatus.APPROVED if decision == ReviewDecision.APPROVE else ReviewStatus.REJECTED
        review.decided_at = now
        review.decided_by = actor
        review.opinion = opinion
        review.save()
        approved = decision == ReviewDecision.APPROVE
        _event(
            filing,
            EventKind.DEPARTMENT_APPROVED if approved else EventKind.DEPARTMENT_REJECTED,
            actor,
            department=review.department,
            note=opinion,
        )
        if not approved:
            _decide_filing(filing, FilingStatus.REJECTED, actor)
        elif not DepartmentReview.objects.filter(filing=filing).exclude(status=ReviewStatus.APPROVED).exists():
            _decide_filing(filing, FilingStatus.APPROVED, actor)
    audit.record(
        actor=actor,
        action=f"filings.review.{decision}",
        target=review,
        before=before,
        after={"review": review.status, "filing": filing.status},
        detail={"filing": filing.reference, "department": review.department},
    )
    return review


def _decide_filing(filing: Filing, status: str, actor: Any) -> None:
    filing.status = status
    filing.decided_at = clock.now()
    filing.save(update_fields=["status", "decided_at", "updated_at"])
    _event(filing, EventKind.APPROVED if status == FilingStatus.APPROVED else EventKind.REJECTED, None)
    audit.record(actor=actor, action=f"filings.filing.{status}", target=filing, after=_snapshot(filing))
    if status == FilingStatus.APPROVED:
        certificate = integrations.certificate_issue(filing=filing, actor=actor)
        if certificate is not None:
            _event(filing, EventKind.CERTIFICATE_ISSUED, None, detail=certificate)
        warnings_or_worse = PreReviewFinding.objects.filter(filing=filing, round=filing.prereview_round).exists()
        if not warnings_or_worse:
            integrations.credit_event_approved_clean(filing=filing, actor=actor)


@audit.record_denials("filings.filing.provide_information")
@transaction.atomic
def filing_provide_information(*, actor: Any, filing_id: int, response: str) -> Filing:
    """The enterprise answers the departments that asked for information: their clocks resume (the pause moves
    their deadlines on) and the filing is resubmitted to them."""
    filing = _locked(actor, filing_id)
    _require_file(actor, filing)
    if filing.status != FilingStatus.INFO_REQUESTED:
        raise InvalidTransition(_("No department is waiting for information on this filing."))
    response = (response or "").strip()
    if len(response) < 2:
        raise ValidationFailed.for_fields({"response": [_("Write what you provide in answer to the request.")]})
    if len(response) > 4000:
        raise ValidationFailed.for_fields({"response": [_("At most %(n)d characters.") % {"n": 4000}]})
    now = clock.now()
    answered = []
    for review in DepartmentReview.objects.select_for_update().filter(
        filing=filing, status=ReviewStatus.INFO_REQUESTED
    ):
        paused = max(0, int((now - review.paused_at).total_seconds())) if review.paused_at else 0
        review.paused_seconds += paused
        review.deadline_at += timedelta(seconds=paused)
        review.paused_at = None
        review.status = ReviewStatus.PENDING
        review.info_response = response
        review.save()
        answered.append(review.department)
    filing.status = FilingStatus.RESUBMITTED
    filing.save(update_fields=["status", "updated_at"])
    _event(filing, EventKind.RESUBMITTED, actor, note=response, detail={"departments": answered})
    audit.record(
        actor=actor, action="filings.filing.provide_information", target=filing, detail={"departments": answered}
    )
    return filing


# --- after the decision -----------------------------------------------------------------------------------------


@audit.record_denials("filings.filing.revoke")
@transaction.atomic
def filing_revoke(*, actor: Any, filing_id: int, reason: str) -> Filing:
    """Revoke an approved filing (and its certificate), with a reason."""
    filing = _locked(actor, filing_id)
    if not policies.can_revoke(actor):
        raise PermissionDenied(_("You may not revoke filings."))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationFailed.for_fields({"reason": [_("Give the reason for the revocation.")]})
    if filing.status != FilingStatus.APPROVED:
        raise InvalidTransition(_("Only an approved filing can be revoked."))
    filing.status = FilingStatus.REVOKED
    filing.revoked_at = clock.now()
    filing.save(update_fields=["status", "revoked_at", "updated_at"])
    _event(filing, EventKind.REVOKED, actor, note=reason)
    integrations.certificate_revoke(filing=filing, actor=actor, reason=reason)
    audit.record(
        actor=actor, action="filings.filing.revoke", target=filing, after=_snapshot(filing), detail={"reason": reason}
    )
    return filing


@audit.record_denials("filings.filing.establish_false")
@transaction.atomic
def false_filing_establish(*, actor: Any, filing_id: int, reasons: list[str], note: str = "") -> Filing:
    """An officer establishes that an approved or rejected filing was false (P3.5: false filings cut the credit
    grade and the fast lane). The credit app receives the event."""
    filing = _locked(actor, filing_id)
    if not policies.can_establish_false_filing(actor):
        raise PermissionDenied(_("You may not establish false filings."))
    reasons = [r for r in dict.fromkeys(reasons or []) if r]
    unknown = [r for r in reasons if r not in FALSE_FILING_REASONS]
    if not reasons or unknown:
        raise ValidationFailed.for_fields(
            {
                "reasons": [
                    _("Choose at least one reason from: %(values)s.") % {"values": ", ".join(FALSE_FILING_REASONS)}
                ]
            }
        )
    if filing.status not in (FilingStatus.APPROVED, FilingStatus.REJECTED, FilingStatus.REVOKED):
        raise InvalidTransition(_("Only an approved or rejected filing can be established as false."))
    if filing.false_filing:
        raise InvalidTransition(_("This filing has already been established as false."))
    filing.false_filing = True
    filing.save(update_fields=["false_filing", "updated_at"])
    _event(filing, EventKind.FALSE_FILING_ESTABLISHED, actor, note=note, detail={"reasons": reasons})
    integrations.credit_event_false_filing(filing=filing, actor=actor, reasons=reasons, note=note)
    audit.record(
        actor=actor, action="filings.filing.establish_false", target=filing, detail={"reasons": reasons, "note": note}
    )
    return filing


# --- rules as data ----------------------------------------------------------------------------------------------


def _rule_snapshot(rule: ReviewRule) -> dict[str, Any]:
    return {
        "filing_type": rule.filing_type.code,
        "department": rule.department,
        "condition": rule.condition,
        "deadline_hours": rule.deadline_hours,
        "is_active": rule.is_active,
    }


@transaction.atomic
def review_rule_save(*, actor: Any, rule: ReviewRule) -> ReviewRule:
    """Create or change a review rule (zone administration), audited with before and after."""
    if not policies.can_edit_rules(actor):
        raise PermissionDenied(_("Review rules are kept by the zone administration."))
    if rule.deadline_hours < 1 or rule.deadline_hours > 24 * 30:
        raise ValidationFailed.for_fields({"deadline_hours": [_("Between 1 hour and 30 days (720 hours).")]})
    before = _rule_snapshot(ReviewRule.objects.get(pk=rule.pk)) if rule.pk else None
    rule.save()
    audit.record(
        actor=actor,
        action="filings.review_rule.update" if before else "filings.review_rule.create",
        target=rule,
        before=before,
        after=_rule_snapshot(rule),
    )
    return rule


@transaction.atomic
def review_rule_delete(*, actor: Any, rule: ReviewRule) -> None:
    if not policies.can_edit_rules(actor):
        raise PermissionDenied(_("Review rules are kept by the zone administration."))
    audit.record(actor=actor, action="filings.review_rule.delete", target=rule, before=_rule_snapshot(rule))
    rule.delete()


@transaction.atomic
def destination_save(*, actor: Any, destination: Destination) -> Destination:
    """Create or change a destination (zone administration), its accepted classes validated."""
    from ftzsafety.dangerous_goods.identifiers import parse_hazard_class

    if not policies.can_edit_rules(actor):
        raise PermissionDenied(_("Destinations are kept by the zone administration."))
    classes = []
    for value in destination.accepted_classes or []:
        try:
            classes.append(parse_hazard_class(str(value)))
        except ValueError as problem:
            raise ValidationFailed.for_fields({"accepted_classes": [str(problem)]}) from None
    destination.accepted_classes = classes
    creating = destination.pk is None
    destination.save()
    audit.record(
        actor=actor,
        action="filings.destination.create" if creating else "filings.destination.update",
        target=destination,
        classification="public",
        after={"code": destination.code, "kind": destination.kind, "accepted_classes": classes},
    )
    return destination
