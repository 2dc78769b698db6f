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
# E-certificates (issue 6): the approval that completes a filing's review issues one, so reviewers, heads and the
# command centre may issue; withdrawing one (行政许可法 第七十条) is for department heads and the command centre.
for _role, _extra in (
    (Role.REVIEWER, ("certificates.add_certificate",)),
    (Role.DEPARTMENT_HEAD, ("certificates.add_certificate", "certificates.revoke_certificate")),
    (Role.COMMANDER, ("certificates.add_certificate", "certificates.revoke_certificate")),
):
    ROLE_SPECS[_role] = RoleSpec((*ROLE_SPECS[_role].permissions, *_extra), ROLE_SPECS[_role].org_kinds)
# Enterprise documents (issue 4 item 6, file once): an enterprise's staff upload and replace its documents; only its
# administrator withdraws one.
for _role, _extra in (
    (Role.ENTERPRISE_ADMIN, ("documents.add_document", "documents.change_document", "documents.delete_document")),
    (Role.ENTERPRISE_STAFF, ("documents.add_document", "documents.change_document")),
):
    ROLE_SPECS[_role] = RoleSpec((*ROLE_SPECS[_role].permissions, *_extra), ROLE_SPECS[_role].org_kinds)
# Hazards (issue 7): officers verify and accept general hazards and report where they are; a major hazard's
# rectification is accepted by a department head (第16号令 第二十三条); the command centre keeps the routing table;
# enterprises run self-checks and submit rectifications. Which department's hazards: hazards.policies.
_HAZARD_OFFICER = ("hazards.view_hazard", "hazards.verify_hazard", "hazards.accept_rectification")
for _role, _extra in (
    (Role.OFFICER, (*_HAZARD_OFFICER, "enforcement.report_location")),
    (Role.DEPARTMENT_HEAD, (*_HAZARD_OFFICER, "hazards.accept_major_rectification", "enforcement.report_location")),
    (Role.COMMANDER, ("hazards.view_hazard", "hazards.manage_routing")),
    (Role.REVIEWER, ("hazards.view_hazard",)),
    (Role.ANALYST, ("hazards.view_hazard",)),
    (Role.ENTERPRISE_ADMIN, ("hazards.view_hazard", "hazards.rectify_hazard", "hazards.run_self_check")),
    (Role.ENTERPRISE_STAFF, ("hazards.view_hazard", "hazards.rectify_hazard", "hazards.run_self_check")),
):
    ROLE_SPECS[_role] = RoleSpec((*ROLE_SPECS[_role].permissions, *_extra), ROLE_SPECS[_role].org_kinds)
# Credit grading (issue 8): government people read grades; officers and heads record penalties, certifications and
# inspection results; the zone administration's heads and command centre decide objections and repairs, issue
# policy versions and manage peer zones (credit.services checks the zone administration); an enterprise's
# administrator objects or applies for repair.
_CREDIT_ZONE = (
    "credit.view_creditgrade",
    "credit.change_creditapplication",
    "credit.add_creditpolicy",
    "credit.add_peerzone",
    "credit.change_peerzone",
    "credit.add_recognisedrecord",
)
for _role, _extra in (
    (Role.OFFICER, ("credit.view_creditgrade", "credit.add_creditevent")),
    (Role.REVIEWER, ("credit.view_creditgrade",)),
    (Role.ANALYST, ("credit.view_creditgrade",)),
    (Role.DEPARTMENT_HEAD, (*_CREDIT_ZONE, "credit.add_creditevent")),
    (Role.COMMANDER, (*_CREDIT_ZONE, "credit.add_creditevent")),
    (Role.ENTERPRISE_ADMIN, ("credit.view_creditgrade", "credit.add_creditapplication")),
    (Role.ENTERPRISE_STAFF, ("credit.view_creditgrade",)),
):
    ROLE_SPECS[_role] = RoleSpec((*ROLE_SPECS[_role].permissions, *_extra), ROLE_SPECS[_role].org_kinds)

# Filings (issue 6): an enterprise's staff file and correct its filings; reviewers, officers and heads decide their
# own department's reviews (filings.policies checks the department) — an officer's approval may be the last one, so
# officers may issue the e-certificate too; heads and the command centre revoke approved filings; officers, heads and
# the command centre establish false filings; the command centre keeps the review rules and destinations.
_FILING_GOV = ("filings.view_filing", "filings.review_filing")
for _role, _extra in (
    (Role.REVIEWER, _FILING_GOV),
    (Role.OFFICER, (*_FILING_GOV, "filings.establish_false_filing", "certificates.add_certificate")),
    (Role.DEPARTMENT_HEAD, (*_FILING_GOV, "filings.revoke_filing", "filings.establish_false_filing")),
    (
        Role.COMMANDER,
        (
            "filings.view_filing",
            "filings.revoke_filing",
            "filings.establish_false_filing",
            "filings.change_reviewrule",
            "filings.add_reviewrule",
            "filings.delete_reviewrule",
            "filings.change_destination",
            "filings.add_destination",
        ),
    ),
    (Role.ANALYST, ("filings.view_filing",)),
    (Role.ENTERPRISE_ADMIN, ("filings.view_filing", "filings.file_filing")),
    (Role.ENTERPRISE_STAFF, ("filings.view_filing", "filings.file_filing")),
):
    ROLE_SPECS[_role] = RoleSpec((*ROLE_SPECS[_role].permissions, *_extra), ROLE_SPECS[_role].org_kinds)


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
