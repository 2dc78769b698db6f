"""Writes of the access-request workflow: submit → approve step by step (or refuse, or withdraw) → grant →
expire or revoke. Each service locks the row it changes, writes an AccessRequestEvent and an audit record in
the same transaction, and writes nothing when a rule fails.

The chain (数据安全法 第三十条; GB/T 22239-2019 §8.1.4.2 c): by default the head of the requester's department,
then the head of the organisation that owns the data, then the security administrator; configurable per dataset
with ApprovalChainRule (`approval_chain_set`).
"""

from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from ftzsafety import audit
from ftzsafety.accounts.choices import OrganisationKind
from ftzsafety.core import authz
from ftzsafety.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ftzsafety.core.models import Classification
from ftzsafety.security import policies
from ftzsafety.security.choices import (
    DEFAULT_CHAIN,
    AccessEventKind,
    AccessRequestStatus,
    ApproverKind,
    StepStatus,
)
from ftzsafety.security.masking import mask_text, sensitive_fields_of
from ftzsafety.security.models import (
    AccessRequest,
    AccessRequestEvent,
    AccessRequestStep,
    ApprovalChainRule,
    Grant,
)
from ftzsafety.security.selectors import is_current_approver


def _snapshot(request: AccessRequest) -> dict[str, Any]:
    """The request as JSON-safe values for the audit record; the purpose is scanned for ID and phone numbers."""
    return {
        "dataset": request.dataset,
        "object_id": request.object_id,
        "owner": request.owner.code,
        "fields": list(request.fields),
        "purpose": mask_text(request.purpose),
        "valid_until": request.valid_until.isoformat(),
        "status": request.status,
    }


def _grant_snapshot(grant: Grant) -> dict[str, Any]:
    return {
        "request_id": grant.request_id,
        "user": grant.user.get_username(),
        "dataset": grant.dataset,
        "object_id": grant.object_id,
        "owner": grant.owner.code,
        "fields": list(grant.fields),
        "valid_until": grant.valid_until.isoformat(),
        "revoked": grant.revoked_at is not None,
    }


def _supervised_model(label: str) -> type[Model] | None:
    try:
        model = apps.get_model((label or "").strip().lower())
    except (LookupError, ValueError):
        return None
    if not hasattr(model, "authz_enterprise_path") or not any(f.name == "owner" for f in model._meta.concrete_fields):
        return None
    return model


def _organisation(code: str) -> Any:
    from ftzsafety.accounts.models import Organisation

    return Organisation.objects.filter(code=(code or "").strip()).first()


# --- the approval chain ---------------------------------------------------------------------------------


def chain_for(content_type: ContentType) -> list[str]:
    """The approver kinds, in order, for a dataset: its own rules, else the default rules, else DEFAULT_CHAIN."""
    rules = list(ApprovalChainRule.objects.filter(content_type=content_type).order_by("position"))
    if not rules:
        rules = list(ApprovalChainRule.objects.filter(content_type__isnull=True).order_by("position"))
    return [rule.approver_kind for rule in rules] or list(DEFAULT_CHAIN)


def _owner_role(owner: Any) -> str | None:
    if owner.is_government:
        return "department_head"
    if owner.kind == OrganisationKind.ENTERPRISE:
        return "enterprise_admin"
    return None


def _resolve_step(kind: str, *, requester: Any, owner: Any) -> tuple[str, Any]:
    """(role, organisation or None) that decides a step of this kind for this request."""
    if kind == ApproverKind.REQUESTER_HEAD:
        return "department_head", requester.organisation
    if kind == ApproverKind.OWNER_HEAD:
        role = _owner_role(owner)
        if role is None:
            raise Conflict(
                _("Nobody in %(org)s can approve access to its data.") % {"org": owner.display_name()},
                code="no_approver",
            )
        return role, owner
    if kind == ApproverKind.ZONE_ADMIN_HEAD:
        from ftzsafety.accounts.selectors import zone_administration

        return "department_head", zone_administration()
    return "security_admin", None


def _has_approver(role: str, organisation: Any, *, requester: Any) -> bool:
    # A system read of who holds a role, to refuse a request nobody could approve (not a user read).
    users = get_user_model().objects.filter(is_active=True, groups__name=role).exclude(pk=requester.pk)
    if organisation is not None:
        users = users.filter(organisation=organisation)
    return users.exists()


def _build_steps(request: AccessRequest, *, requester: Any) -> list[AccessRequestStep]:
    steps: list[AccessRequestStep] = []
    for kind in chain_for(request.content_type):
        role, organisation = _resolve_step(kind, requester=requester, owner=request.owner)
        org_id = organisation.pk if organisation is not None else None
        if steps and (steps[-1].approver_role, steps[-1].approver_organisation_id) == (role, org_id):
            continue  # the same people twice in a row decide once
        if not _has_approver(role, organisation, requester=requester):
            raise Conflict(
                _("No one can approve the step “%(step)s” of this request: %(who)s has no one in that role.")
                % {
                    "step": ApproverKind(kind).label,
                    "who": organisation.display_name() if organisation else _("the platform"),
                },
                code="no_approver",
                extra={"step": kind},
            )
        steps.append(
            AccessRequestStep(
                request=request,
                position=len(steps) + 1,
                approver_kind=kind,
                approver_role=role,
                approver_organisation=organisation,
                status=StepStatus.PENDING if not steps else StepStatus.WAITING,
            )
        )
    return steps


# --- submit ---------------------------------------------------------------------------------------------


@transaction.atomic
def access_request_submit(
    *,
    actor: Any,
    dataset: str,
    purpose: str,
    valid_until: date | None,
    owner_code: str = "",
    object_id: int | None = None,
    fields: list[str] | tuple[str, ...] = (),
) -> AccessRequest:
    """Ask for access to confidential data: a dataset of one owning organisation (`dataset` + `owner_code`) or
    one record (`dataset` + `object_id`), naming the declared sensitive fields to be shown unmasked, the purpose,
    and the last day (at most MAX_GRANT_DAYS ahead). The request enters the first step of its approval chain.

    数据安全法 第二十七条 (minimum necessary, purpose bound); 个人信息保护法 第六条.
    """
    if not policies.can_request(actor):
        raise PermissionDenied(_("Only government staff can ask for access to confidential data."))
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    model = _supervised_model(dataset)
    if model is None:
        fail("dataset", _("“%(dataset)s” is not a dataset of supervision data.") % {"dataset": dataset})
    record = None
    owner = None
    if model is not None and object_id is not None:
        record = model._default_manager.filter(pk=object_id).select_related("owner").first()
        if record is None:
            fail("object_id", _("There is no record %(id)s in this dataset.") % {"id": object_id})
        else:
            owner = record.owner
    elif model is not None:
        if not (owner_code or "").strip():
            fail("owner", _("Name the organisation whose data you ask for, or a single record."))
        else:
            owner = _organisation(owner_code)
            if owner is None:
                fail("owner", _("“%(code)s” is not an organisation.") % {"code": owner_code})

    field_list = [str(f).strip() for f in fields if str(f).strip()]
    field_list = list(dict.fromkeys(field_list))
    if model is not None:
        declared = sensitive_fields_of(model)
        unknown = [f for f in field_list if f not in declared]
        if unknown:
            fail(
                "fields",
                _("Not a sensitive field of this dataset: %(fields)s. Choose from: %(choices)s.")
                % {"fields": ", ".join(unknown), "choices": ", ".join(declared) or _("(none)")},
            )

    text = (purpose or "").strip()
    if not text:
        fail("purpose", _("Say what the data is needed for."))
    elif len(text) > policies.MAX_PURPOSE_LENGTH:
        fail("purpose", _("At most %(n)d characters.") % {"n": policies.MAX_PURPOSE_LENGTH})

    today = timezone.localdate()
    if valid_until is None:
        fail("valid_until", _("Give the last day the access is needed."))
    elif valid_until < today:
        fail("valid_until", _("The last day cannot be in the past."))
    elif valid_until > today + timedelta(days=policies.MAX_GRANT_DAYS):
        fail(
            "valid_until",
            _("Access is granted for at most %(n)d days: the latest possible day is %(day)s.")
            % {"n": policies.MAX_GRANT_DAYS, "day": (today + timedelta(days=policies.MAX_GRANT_DAYS)).isoformat()},
        )
    if errors:
        raise ValidationFailed.for_fields(errors)

    if owner.pk == actor.organisation_id:
        raise Conflict(_("Your organisation owns this data: you can read it without a grant."), code="own_data")
    if (
        record is not None
        and not field_list
        and authz.visible_to(actor, model._default_manager.filter(pk=record.pk)).exists()
    ):
        raise Conflict(_("You can already read this record; name the fields you need unmasked."), code="readable")

    content_type = ContentType.objects.get_for_model(model)
    duplicate = AccessRequest.objects.filter(
        requester=actor,
        content_type=content_type,
        object_id=object_id,
        owner=owner,
        status=AccessRequestStatus.PENDING,
    ).first()
    if duplicate is not None:
        raise Conflict(
            _("You already have a request for this data awaiting approval (#%(id)d).") % {"id": duplicate.pk},
            code="duplicate_request",
            extra={"request_id": duplicate.pk},
        )

    request = AccessRequest(
        requester=actor,
        requester_organisation=actor.organisation,
        content_type=content_type,
        object_id=object_id,
        owner=owner,
        fields=field_list,
        purpose=text,
        valid_until=valid_until,
    )
    steps = _build_steps(request, requester=actor)
    request.save()
    for step in steps:
        step.request = request
    AccessRequestStep.objects.bulk_create(steps)
    AccessRequestEvent.objects.create(request=request, kind=AccessEventKind.SUBMITTED, actor=actor)
    audit.record(actor=actor, action="security.access_request.submit", target=request, after=_snapshot(request))
    return request


# --- decide ---------------------------------------------------------------------------------------------


def _lock_request(actor: Any, request_id: int) -> AccessRequest:
    """Lock the request; a request the actor may not see does not exist for them."""
    request = AccessRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None or not authz.visible_to(actor, AccessRequest.objects.filter(pk=request_id)).exists():
        raise NotFound(_("Access request not found."))
    return request


def _pending_step(request: AccessRequest) -> AccessRequestStep | None:
    return request.steps.select_for_update().filter(status=StepStatus.PENDING).order_by("position").first()


def _require_decider(actor: Any, request: AccessRequest, verb: str) -> AccessRequestStep:
    if request.status != AccessRequestStatus.PENDING:
        raise InvalidTransition(
            _("This request is already %(status)s.") % {"status": AccessRequestStatus(request.status).label.lower()},
            extra={"status": request.status, "action": verb},
        )
    step = _pending_step(request)
    if step is None or not is_current_approver(actor, request):
        raise PermissionDenied(
            _("This step is not yours to decide; it waits for: %(who)s.")
            % {"who": ApproverKind(step.approver_kind).label if step else "—"},
            extra={"action": verb},
        )
    return step


@audit.record_denials("security.access_request.approve")
@transaction.atomic
def access_request_approve(*, actor: Any, request_id: int, note: str = "") -> AccessRequest:
    """Approve the current step. The next step then awaits its approver; after the last one the request is
    APPROVED and becomes a Grant valid from now to its last day."""
    request = _lock_request(actor, request_id)
    step = _require_decider(actor, request, "approve")
    if request.valid_until < timezone.localdate():
        raise Conflict(
            _("The period asked for ended on %(day)s; the request can no longer be approved.")
            % {"day": request.valid_until.isoformat()},
            code="request_expired",
        )
    before = _snapshot(request)
    now = timezone.now()
    step.status = StepStatus.APPROVED
    step.decided_by = actor
    step.decided_at = now
    step.note = (note or "").strip()[: policies.MAX_REASON_LENGTH]
    step.save(update_fields=["status", "decided_by", "decided_at", "note"])
    AccessRequestEvent.objects.create(
        request=request, kind=AccessEventKind.STEP_APPROVED, actor=actor, step=step, note=step.note
    )
    following = request.steps.select_for_update().filter(position__gt=step.position).order_by("position").first()
    if following is not None:
        following.status = StepStatus.PENDING
        following.save(update_fields=["status"])
        request.save(update_fields=["updated_at"])
    else:
        request.status = AccessRequestStatus.APPROVED
        request.decided_at = now
        request.save(update_fields=["status", "decided_at", "updated_at"])
        grant = Grant.objects.create(
            request=request,
            user=request.requester,
            content_type=request.content_type,
            object_id=request.object_id,
            owner=request.owner,
            fields=list(request.fields),
            purpose=request.purpose,
            valid_from=now,
            valid_until=request.valid_until,
        )
        AccessRequestEvent.objects.create(request=request, kind=AccessEventKind.GRANTED, actor=actor)
        audit.record(actor=actor, action="security.grant.create", target=grant, after=_grant_snapshot(grant))
    audit.record(
        actor=actor,
        action="security.access_request.approve",
        target=request,
        before=before,
        after=_snapshot(request),
        detail={"step": step.position, "approver": step.approver_kind},
    )
    return request


def _required_reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed.for_fields({"reason": [_("Give a reason.")]})
    if len(text) > policies.MAX_REASON_LENGTH:
        raise ValidationFailed.for_fields(
            {"reason": [_("At most %(n)d characters.") % {"n": policies.MAX_REASON_LENGTH}]}
        )
    return text


def _close_open_steps(request: AccessRequest) -> None:
    request.steps.filter(status__in=[StepStatus.PENDING, StepStatus.WAITING]).update(status=StepStatus.CANCELLED)


@audit.record_denials("security.access_request.refuse")
@transaction.atomic
def access_request_refuse(*, actor: Any, request_id: int, reason: str) -> AccessRequest:
    """Refuse at the current step, with a reason the requester sees. The request ends REFUSED; later steps are
    not asked."""
    request = _lock_request(actor, request_id)
    step = _require_decider(actor, request, "refuse")
    text = _required_reason(reason)
    before = _snapshot(request)
    now = timezone.now()
    step.status = StepStatus.REFUSED
    step.decided_by = actor
    step.decided_at = now
    step.note = text
    step.save(update_fields=["status", "decided_by", "decided_at", "note"])
    _close_open_steps(request)
    request.status = AccessRequestStatus.REFUSED
    request.decided_at = now
    request.save(update_fields=["status", "decided_at", "updated_at"])
    AccessRequestEvent.objects.create(request=request, kind=AccessEventKind.REFUSED, actor=actor, step=step, note=text)
    audit.record(
        actor=actor,
        action="security.access_request.refuse",
        target=request,
        before=before,
        after=_snapshot(request),
        detail={"step": step.position, "reason": mask_text(text)},
    )
    return request


@audit.record_denials("security.access_request.withdraw")
@transaction.atomic
def access_request_withdraw(*, actor: Any, request_id: int) -> AccessRequest:
    """The requester takes back a request that is still awaiting approval."""
    request = _lock_request(actor, request_id)
    if request.requester_id != actor.pk:
        raise PermissionDenied(_("Only the person who asked can withdraw a request."))
    if request.status != AccessRequestStatus.PENDING:
        raise InvalidTransition(
            _("This request is already %(status)s.") % {"status": AccessRequestStatus(request.status).label.lower()},
            extra={"status": request.status, "action": "withdraw"},
        )
    before = _snapshot(request)
    _close_open_steps(request)
    request.status = AccessRequestStatus.WITHDRAWN
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at", "updated_at"])
    AccessRequestEvent.objects.create(request=request, kind=AccessEventKind.WITHDRAWN, actor=actor)
    audit.record(
        actor=actor, action="security.access_request.withdraw", target=request, before=before, after=_snapshot(request)
    )
    return request


# --- grants ---------------------------------------------------------------------------------------------


@audit.record_denials("security.grant.revoke")
@transaction.atomic
def grant_revoke(*, actor: Any, grant_id: int, reason: str) -> Grant:
    """End a grant before its last day, with a reason: the security administrator, a head of the owning
    organisation, or the holder giving it up. Reads stop at once."""
    grant = Grant.objects.select_for_update().filter(pk=grant_id).first()
    if grant is None or not authz.visible_to(actor, Grant.objects.filter(pk=grant_id)).exists():
        raise NotFound(_("Grant not found."))
    if grant.revoked_at is not None:
        raise InvalidTransition(_("This grant has already been revoked."), extra={"action": "revoke"})
    if grant.is_expired:
        raise InvalidTransition(_("This grant has already expired."), extra={"action": "revoke"})
    if not policies.can_revoke(actor, grant):
        raise PermissionDenied(_("You may not revoke this grant."))
    text = _required_reason(reason)
    before = _grant_snapshot(grant)
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    grant.reason = text
    grant.save(update_fields=["revoked_at", "revoked_by", "reason"])
    AccessRequestEvent.objects.create(request_id=grant.request_id, kind=AccessEventKind.REVOKED, actor=actor, note=text)
    audit.record(
        actor=actor,
        action="security.grant.revoke",
        target=grant,
        before=before,
        after=_grant_snapshot(grant),
        detail={"reason": mask_text(text)},
    )
    return grant


@transaction.atomic
def record_confidential_read(actor: Any, obj: Model, grant: Grant | None = None) -> Any:
    """Audit one read of a confidential record, naming the grant it was read under (None: read by its owning
    organisation). Call it from the page or API handler that shows the record (issue 3, item 5)."""
    return audit.record(
        actor=actor,
        action="security.confidential.read",
        target=obj,
        classification=Classification.CONFIDENTIAL,
        detail={"grant_id": grant.pk if grant is not None else None, "fields": list(grant.fields) if grant else []},
    )


@audit.record_denials("security.approval_chain.set")
@transaction.atomic
def approval_chain_set(*, actor: Any, dataset: str | None, approvers: list[str]) -> list[ApprovalChainRule]:
    """Replace the approval chain of a dataset (or, with `dataset` None, the default chain) — the security
    administrator's classification policy (GB/T 22239-2019 §8.1.4.2). An empty list restores the default."""
    if not policies.is_security_admin(actor):
        raise PermissionDenied(_("Only the security administrator sets approval chains."))
    content_type = None
    if dataset:
        model = _supervised_model(dataset)
        if model is None:
            raise ValidationFailed.for_fields(
                {"dataset": [_("“%(dataset)s” is not a dataset of supervision data.") % {"dataset": dataset}]}
            )
        content_type = ContentType.objects.get_for_model(model)
    unknown = [a for a in approvers if a not in ApproverKind.values]
    if unknown:
        raise ValidationFailed.for_fields(
            {
                "approvers": [
                    _("Unknown approver: %(kinds)s. Choose from: %(choices)s.")
                    % {"kinds": ", ".join(unknown), "choices": ", ".join(ApproverKind.values)}
                ]
            }
        )
    existing = ApprovalChainRule.objects.filter(content_type=content_type)
    before = [rule.approver_kind for rule in existing.order_by("position")]
    existing.delete()
    rules = ApprovalChainRule.objects.bulk_create(
        [
            ApprovalChainRule(content_type=content_type, position=i, approver_kind=kind)
            for i, kind in enumerate(approvers, start=1)
        ]
    )
    audit.record(
        actor=actor,
        action="security.approval_chain.set",
        target=None,
        before={"dataset": dataset or "*", "approvers": before},
        after={"dataset": dataset or "*", "approvers": list(approvers)},
    )
    return rules
