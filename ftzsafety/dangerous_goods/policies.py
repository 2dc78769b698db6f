"""Who may change the dangerous-goods reference lists and an enterprise's major-hazard units. Pure functions.

Roles are read from the role groups (accounts.roles); this app adds no model permissions to ROLE_SPECS, so the
rules live here, in one place.
"""

from typing import Any

# The reference lists are regulatory facts: kept by the heads of the departments and the zone's command centre,
# never by platform administrators (三员分立, GB/T 22239-2019 §8.1.4.2: they hold no business data).
REFERENCE_EDITOR_ROLES = ("department_head", "commander")
# Government people who register and assess an enterprise's hazardous-chemicals units (危险化学品重大危险源监督
# 管理暂行规定, 国家安全监管总局令第40号: the enterprise registers; the emergency-management department supervises).
UNIT_KEEPER_ROLES = ("officer", "department_head", "commander")


def _signed_in(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active)


def can_view_reference(actor: Any) -> bool:
    return _signed_in(actor)


def can_edit_reference(actor: Any) -> bool:
    """`actor=None` is the system itself (migrations, `ftzsafety load_reference`), run from the server's shell."""
    if actor is None:
        return True
    if not _signed_in(actor):
        return False
    if actor.is_superuser:
        return True
    return bool(actor.is_government and actor.has_role(*REFERENCE_EDITOR_ROLES))


def can_manage_units(actor: Any, enterprise: Any) -> bool:
    """An enterprise's administrator for its own units; government officers, heads and commanders for any."""
    if not _signed_in(actor) or actor.is_platform_admin:
        return False
    if actor.is_enterprise_user:
        return bool(actor.has_role("enterprise_admin") and enterprise.organisation_id == actor.organisation_id)
    return bool(actor.is_government and actor.has_role(*UNIT_KEEPER_ROLES))


def can_assess_units(actor: Any, enterprise: Any) -> bool:
    return can_manage_units(actor, enterprise)
