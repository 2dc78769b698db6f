"""Reads of access requests and grants, and the grant subquery that `core.authz.visible_to` uses.

Who sees which requests and grants (registered with `authz.register_scope`):
- the requester / holder sees their own;
- a department head sees those of people in their organisation and those about data their organisation owns;
- the security administrator sees all of them (grant approval is theirs, GB/T 22239-2019 §8.1.4.2);
- the system and audit administrators see none (the audit administrator reads the audit trail instead).
"""

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet

from ftzsafety.core import authz
from ftzsafety.security.choices import AccessRequestStatus, StepStatus
from ftzsafety.security.models import AccessRequest, AccessRequestEvent, AccessRequestStep, Grant


def _signed_in(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active)


def _content_type(model_or_label: type[Model] | str) -> ContentType | None:
    """The (cached) content type of a model class or an "app_label.model" label; None when unknown."""
    if isinstance(model_or_label, str):
        app_label, _dot, model_name = model_or_label.lower().partition(".")
        try:
            return ContentType.objects.get_by_natural_key(app_label, model_name)
        except ContentType.DoesNotExist:
            return None
    return ContentType.objects.get_for_model(model_or_label)


# --- the rule core.authz uses --------------------------------------------------------------------------


def live_grant_exists(actor: Any, model: type[Model]) -> Exists:
    """A correlated EXISTS over the actor's live grants for `model`: a grant for the row itself, or for the
    whole dataset of the row's owning organisation. Used inside `visible_to`'s filter — one subquery for the
    whole queryset, not one query per row."""
    content_type = _content_type(model)
    grants = Grant.objects.live().filter(user_id=actor.pk, content_type=content_type)
    return Exists(grants.filter(Q(object_id=OuterRef("pk")) | Q(object_id__isnull=True, owner_id=OuterRef("owner_id"))))


def grants_live_for(user: Any, model_label: str, obj: Model | None = None) -> QuerySet[Grant]:
    """`user`'s live grants for the dataset `model_label` ("app_label.model"); with `obj`, only those that cover
    that record (a grant for the record, or for its owner's whole dataset)."""
    if not _signed_in(user):
        return Grant.objects.none()
    content_type = _content_type(model_label)
    if content_type is None:
        return Grant.objects.none()
    qs = Grant.objects.live().filter(user_id=user.pk, content_type=content_type)
    if obj is not None:
        qs = qs.filter(Q(object_id=obj.pk) | Q(object_id__isnull=True, owner_id=getattr(obj, "owner_id", None)))
    return qs.order_by("-valid_until", "-id")


def grant_covering(user: Any, obj: Model) -> Grant | None:
    """The live grant under which `user` reads `obj` (the record grant first, then the longest-lived), or None."""
    grants = list(grants_live_for(user, obj._meta.label_lower, obj))
    grants.sort(key=lambda g: (g.object_id is None, -g.valid_until.toordinal()))
    return grants[0] if grants else None


# --- scopes ------------------------------------------------------------------------------------------------


def _oversight_q(actor: Any, *, person: str, owner: str) -> Q:
    if actor.has_role("department_head") and actor.organisation_id is not None:
        return Q(**{person: actor.organisation_id}) | Q(**{owner: actor.organisation_id})
    return Q(pk__in=[])


@authz.register_scope(AccessRequest)
def _access_request_scope(actor: Any, qs: QuerySet) -> QuerySet:
    """Own requests, those an approver of any of its steps may decide, and a head's oversight."""
    if actor.has_role("security_admin"):
        return qs
    if actor.has_role("system_admin", "audit_admin"):
        return qs.none()
    approver_of = Exists(AccessRequestStep.objects.filter(request=OuterRef("pk")).filter(approver_step_q(actor)))
    return qs.filter(
        Q(requester_id=actor.pk)
        | Q(approver_of)
        | _oversight_q(actor, person="requester_organisation_id", owner="owner_id")
    )


@authz.register_scope(Grant)
def _grant_scope(actor: Any, qs: QuerySet) -> QuerySet:
    if actor.has_role("security_admin"):
        return qs
    if actor.has_role("system_admin", "audit_admin"):
        return qs.none()
    return qs.filter(Q(user_id=actor.pk) | _oversight_q(actor, person="user__organisation_id", owner="owner_id"))


# --- requests -------------------------------------------------------------------------------------------


def _with_related(qs: QuerySet) -> QuerySet:
    return qs.select_related("requester", "requester_organisation", "owner", "content_type").prefetch_related(
        Prefetch("steps", queryset=AccessRequestStep.objects.select_related("approver_organisation", "decided_by"))
    )


def access_request_list(*, actor: Any, status: str = "", mine: bool = False) -> QuerySet[AccessRequest]:
    """Requests visible to the actor, newest first; `mine` keeps only the actor's own."""
    qs = authz.visible_to(actor, AccessRequest.objects.all())
    if mine:
        qs = qs.filter(requester_id=actor.pk)
    if status:
        qs = qs.filter(status=status)
    return _with_related(qs).order_by("-created_at", "-id")


def access_request_get(*, actor: Any, request_id: int) -> AccessRequest:
    qs = _with_related(AccessRequest.objects.all())
    return authz.get_visible(actor, qs, pk=request_id)


def access_request_events(*, actor: Any, request_id: int) -> QuerySet[AccessRequestEvent]:
    request = access_request_get(actor=actor, request_id=request_id)
    return request.events.select_related("actor", "step").order_by("created_at", "id")


def approver_step_q(actor: Any, prefix: str = "") -> Q:
    """Steps that `actor` may decide: their role, in the step's organisation (or any, for the security
    administrators). Excluding the requester is the caller's business."""
    roles = sorted(actor.role_names) if _signed_in(actor) else []
    return Q(**{f"{prefix}approver_role__in": roles}) & (
        Q(**{f"{prefix}approver_organisation__isnull": True})
        | Q(**{f"{prefix}approver_organisation_id": actor.organisation_id})
    )


def access_request_queue(*, actor: Any, today: date | None = None) -> QuerySet[AccessRequest]:
    """Pending requests whose current step the actor may decide, oldest first (one query plus prefetch).
    Requests whose requested period has already ended are left out: they can no longer be approved."""
    from django.utils import timezone

    if not _signed_in(actor) or not actor.role_names:
        return AccessRequest.objects.none()
    current = AccessRequestStep.objects.filter(request=OuterRef("pk"), status=StepStatus.PENDING).filter(
        approver_step_q(actor)
    )
    qs = (
        AccessRequest.objects.filter(status=AccessRequestStatus.PENDING, valid_until__gte=today or timezone.localdate())
        .exclude(requester_id=actor.pk)
        .filter(Exists(current))
    )
    return _with_related(qs).order_by("created_at", "id")


def current_step(request: AccessRequest) -> AccessRequestStep | None:
    """The step awaiting a decision (uses the prefetched steps)."""
    return next((s for s in request.steps.all() if s.status == StepStatus.PENDING), None)


def is_current_approver(actor: Any, request: AccessRequest) -> bool:
    step = current_step(request)
    if step is None or not _signed_in(actor) or actor.pk == request.requester_id:
        return False
    if request.status != AccessRequestStatus.PENDING:
        return False
    return actor.has_role(step.approver_role) and (
        step.approver_organisation_id is None or step.approver_organisation_id == actor.organisation_id
    )


# --- grants ---------------------------------------------------------------------------------------------


def grant_list(*, actor: Any, mine: bool = False, live_only: bool = False) -> QuerySet[Grant]:
    qs = authz.visible_to(actor, Grant.objects.all())
    if mine:
        qs = qs.filter(user_id=actor.pk)
    if live_only:
        qs = qs.live()
    return qs.select_related("user", "owner", "content_type", "revoked_by", "request").order_by("-valid_from", "-id")


def grant_get(*, actor: Any, grant_id: int) -> Grant:
    qs = Grant.objects.select_related("user", "owner", "content_type", "revoked_by", "request")
    return authz.get_visible(actor, qs, pk=grant_id)


def requestable_datasets() -> list[tuple[str, str]]:
    """(label, verbose name) of every supervision-data model: the datasets one may ask access to."""
    from django.apps import apps

    out = []
    for model in apps.get_models():
        if hasattr(model, "authz_enterprise_path") and any(f.name == "owner" for f in model._meta.concrete_fields):
            out.append((model._meta.label_lower, str(model._meta.verbose_name_plural)))
    return sorted(out)
