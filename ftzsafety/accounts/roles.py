"""Roles are permission groups. This table is the one place that says what each role may do.

Platform roles follow 三员分立 (GB/T 22239-2019, 等保 2.0 level 3 §8.1.4.2): the system, security and
audit administrators are separate people, and none of them holds a permission on business data.
"""

from dataclasses import dataclass

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from ftzsafety.accounts.choices import OrganisationKind as K


class Role(TextChoices):
    OFFICER = "officer", _("Officer")
    REVIEWER = "reviewer", _("Reviewer")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    COMMANDER = "commander", _("Commander")
    ANALYST = "analyst", _("Analyst")
    ENTERPRISE_ADMIN = "enterprise_admin", _("Enterprise administrator")
    ENTERPRISE_STAFF = "enterprise_staff", _("Enterprise staff")
    ASSOCIATION_STAFF = "association_staff", _("Association staff")
    AGENCY_STAFF = "agency_staff", _("Agency staff")
    EXPERT = "expert", _("Expert")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


GOVERNMENT_ROLES = frozenset({Role.OFFICER, Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.COMMANDER, Role.ANALYST})
PLATFORM_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_STAFF})


@dataclass(frozen=True)
class RoleSpec:
    permissions: tuple[str, ...]
    org_kinds: frozenset[str]


_GOV = frozenset({K.ZONE_ADMINISTRATION, K.DEPARTMENT})
_VIEW_REGISTRY = ("enterprises.view_enterprise", "accounts.view_organisation")

ROLE_SPECS: dict[str, RoleSpec] = {
    Role.OFFICER: RoleSpec(_VIEW_REGISTRY, _GOV),
    Role.REVIEWER: RoleSpec(_VIEW_REGISTRY, _GOV),
    Role.DEPARTMENT_HEAD: RoleSpec(_VIEW_REGISTRY, _GOV),
    # The registry is kept by the zone administration's command centre and by the departments' heads.
    Role.COMMANDER: RoleSpec((*_VIEW_REGISTRY, "enterprises.add_enterprise", "enterprises.change_enterprise"), _GOV),
    Role.ANALYST: RoleSpec(_VIEW_REGISTRY, _GOV),
    # An enterprise keeps its own entry up to date (address, English name, scope); never anyone else's.
    Role.ENTERPRISE_ADMIN: RoleSpec(
        ("enterprises.view_enterprise", "enterprises.change_enterprise"), frozenset({K.ENTERPRISE})
    ),
    Role.ENTERPRISE_STAFF: RoleSpec(("enterprises.view_enterprise",), frozenset({K.ENTERPRISE})),
    Role.ASSOCIATION_STAFF: RoleSpec(_VIEW_REGISTRY, frozenset({K.ASSOCIATION})),
    Role.AGENCY_STAFF: RoleSpec(_VIEW_REGISTRY, frozenset({K.AGENCY})),
    Role.EXPERT: RoleSpec(_VIEW_REGISTRY, frozenset({K.EXPERT_POOL})),
    Role.SYSTEM_ADMIN: RoleSpec(
        (
            "accounts.view_organisation",
            "accounts.add_organisation",
            "accounts.change_organisation",
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
        ),
        frozenset({K.PLATFORM}),
    ),
    Role.SECURITY_ADMIN: RoleSpec(("accounts.view_organisation", "accounts.view_user"), frozenset({K.PLATFORM})),
    Role.AUDIT_ADMIN: RoleSpec(("accounts.view_organisation", "audit.view_auditrecord"), frozenset({K.PLATFORM})),
}
# Department heads also maintain the registry for their department's firms.
ROLE_SPECS[Role.DEPARTMENT_HEAD] = RoleSpec(
    (*_VIEW_REGISTRY, "enterprises.add_enterprise", "enterprises.change_enterprise"), _GOV
)


def sync_role_groups() -> None:
    """Create one auth Group per role and give it exactly the permissions of ROLE_SPECS."""
    from django.contrib.auth.models import Group, Permission

    for role, spec in ROLE_SPECS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        perms = []
        for dotted in spec.permissions:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:  # an app not yet migrated in this run; the next post_migrate completes it
                perms.append(perm)
        group.permissions.set(perms)


def sync_role_groups_after_migrate(**kwargs: object) -> None:
    """post_migrate runs once per app; permissions of every app exist only after the last app's run."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if kwargs.get("app_config") is with_models[-1]:
        sync_role_groups()
