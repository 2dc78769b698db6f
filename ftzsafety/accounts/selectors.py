"""Reads of organisations and people."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from ftzsafety.accounts.choices import DepartmentCode, OrganisationKind
from ftzsafety.accounts.models import Organisation, User
from ftzsafety.core import authz
from ftzsafety.core.errors import Conflict


@authz.register_scope(Organisation)
def _organisation_scope(actor: Any, qs: QuerySet) -> QuerySet:
    """Government and platform people see every organisation. Others see every organisation except
    enterprises, plus their own: the list of a zone's firms is not for competitors to browse."""
    if actor.is_government or actor.is_platform_admin:
        return qs
    if actor.organisation_id is None:
        return qs.none()
    return qs.filter(~Q(kind=OrganisationKind.ENTERPRISE) | Q(pk=actor.organisation_id))


@authz.register_scope(User)
def _user_scope(actor: Any, qs: QuerySet) -> QuerySet:
    """The system and security administrators manage accounts; everyone else sees only themselves."""
    if actor.has_role("system_admin", "security_admin"):
        return qs
    return qs.filter(pk=actor.pk)


def organisation_list(*, actor: Any, kind: str = "", q: str = "") -> QuerySet[Organisation]:
    qs = authz.visible_to(actor, Organisation.objects.all())
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name_zh__icontains=q) | Q(name_en__icontains=q) | Q(code__icontains=q))
    return qs.order_by("kind", "code")


def zone_administration() -> Organisation:
    """The zone administration (管委会): owner of the zone-wide registry. System use, not a user read."""
    org = Organisation.objects.filter(department_code=DepartmentCode.ZONE_ADMIN).first()
    if org is None:
        raise Conflict(_("The zone administration organisation is not set up yet."), code="zone_not_configured")
    return org


def user_by_token_digest(digest: str) -> Any:
    """Authentication lookup (not a user read): the live token with this digest, or None."""
    from django.utils import timezone

    from ftzsafety.accounts.models import ApiToken

    return (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(digest=digest, revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )


def demo_data_present() -> bool:
    """Whether any organisation is marked as demo data, for the "demo data" banner. System read, not a user read."""
    return Organisation.objects.filter(is_demo=True).exists()


def account_stats(*, actor: Any) -> dict[str, Any]:
    """Account figures for the platform administrators' home page: organisations by kind, and users when the
    actor may view accounts (GB/T 22239-2019 三员分立: account figures only, never business data)."""
    from django.db.models import Count

    by_kind = [
        {"kind": row["kind"], "name": str(OrganisationKind(row["kind"]).label), "count": row["n"]}
        for row in authz.visible_to(actor, Organisation.objects.order_by()).values("kind").annotate(n=Count("id"))
        if row["kind"] in OrganisationKind.values
    ]
    by_kind.sort(key=lambda row: (-row["count"], row["kind"]))
    users: dict[str, int] | None = None
    if authz.has_perm(actor, "accounts.view_user"):
        users = authz.visible_to(actor, User.objects.all()).aggregate(
            total=Count("id"), active=Count("id", filter=Q(is_active=True))
        )
    return {"organisations": sum(row["count"] for row in by_kind), "by_kind": by_kind, "users": users}


def department_organisation(code: str) -> Organisation | None:
    """The organisation of a department by its short code (system read: owner of a dataset)."""
    return Organisation.objects.filter(department_code=code).first()


def user_list(*, actor: Any, q: str = "") -> QuerySet[User]:
    """Accounts for the system and security administrators' user administration page."""
    qs = authz.visible_to(actor, User.objects.select_related("organisation").prefetch_related("groups"))
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(organisation__name_zh__icontains=q))
    return qs.order_by("organisation__kind", "organisation__code", "username")


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these names django-axes currently locks (failures within the cool-off period)."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.utils import timezone

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
        ).values_list("username", flat=True)
    )
