"""Pure rules: who may do what to a hazard. The department that a hazard is routed to owns it (第16号令 第四条:
supervising departments supervise hazard removal within their remit); the zone administration coordinates."""

from typing import Any

from ftzsafety.core import authz

ZONE_ADMINISTRATION = "zone_administration"


def _in_department(actor: Any, hazard: Any) -> bool:
    return bool(getattr(actor, "is_government", False) and actor.organisation_id == hazard.department_id)


def is_zone_coordinator(actor: Any) -> bool:
    """The zone administration's command centre and its heads."""
    return bool(
        getattr(actor, "is_government", False)
        and actor.organisation.kind == ZONE_ADMINISTRATION
        and actor.has_role("commander", "department_head")
    )


def can_report(actor: Any) -> bool:
    """Anyone signed in with a role (enterprises, officers, agencies, associations, experts); the public reports
    through the public page, which needs no account. Platform administrators hold no business data."""
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.role_names) and not (
        actor.is_platform_admin
    )


def can_assign(actor: Any, hazard: Any) -> bool:
    """The responsible department's head, or one of its officers taking it themselves; the zone coordinators."""
    return (_in_department(actor, hazard) and actor.has_role("department_head", "officer")) or is_zone_coordinator(
        actor
    )


def can_assign_others(actor: Any, hazard: Any) -> bool:
    return (_in_department(actor, hazard) and actor.has_role("department_head")) or is_zone_coordinator(actor)


def can_reroute(actor: Any, hazard: Any) -> bool:
    """Sending a hazard to another department: the zone coordinators (whose queue takes the unmatched ones) and
    the head of the department it is with."""
    return is_zone_coordinator(actor) or (_in_department(actor, hazard) and actor.has_role("department_head"))


def can_verify(actor: Any, hazard: Any) -> bool:
    """An officer or head of the responsible department (the assigned officer, or the head)."""
    if not (_in_department(actor, hazard) and authz.has_perm(actor, "hazards.verify_hazard")):
        return False
    return hazard.officer_id == actor.pk or actor.has_role("department_head")


def can_rectify(actor: Any, hazard: Any) -> bool:
    """The enterprise concerned submits its rectification (第十条); with no enterprise known, the responsible
    department records the rectification made by whoever was responsible."""
    if hazard.enterprise_id is None:
        return _in_department(actor, hazard) and authz.has_perm(actor, "hazards.verify_hazard")
    if not getattr(actor, "is_enterprise_user", False):
        return False
    return (
        authz.has_perm(actor, "hazards.rectify_hazard") and hazard.enterprise.organisation_id == actor.organisation_id
    )


def can_accept(actor: Any, hazard: Any) -> bool:
    """General hazards: an officer or head of the responsible department. Major hazards (挂牌督办) need the head
    (第二十三条: the supervising department checks and accepts the removal of a listed major hazard)."""
    if not _in_department(actor, hazard):
        return False
    if hazard.level == "major":
        return authz.has_perm(actor, "hazards.accept_major_rectification")
    return authz.has_perm(actor, "hazards.accept_rectification")


def can_manage_routing(actor: Any) -> bool:
    return is_zone_coordinator(actor) and authz.has_perm(actor, "hazards.manage_routing")


def can_run_self_check(actor: Any, enterprise: Any) -> bool:
    return authz.has_perm(actor, "hazards.run_self_check", enterprise) and getattr(actor, "is_enterprise_user", False)
