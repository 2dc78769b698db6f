"""Pure rules about who may change what in the registry."""

from typing import Any

from ftzsafety.core import authz

# Fields every registry keeper may set. The code itself never changes: a new code is a new enterprise.
REGISTRY_FIELDS = (
    "name_zh",
    "name_en",
    "organisation_form",
    "foreign_invested",
    "investor_country",
    "industry_section",
    "industry_class",
    "area",
    "address",
    "latitude",
    "longitude",
    "business_scope",
    "classification",
)
# What an enterprise may correct about itself; identity, form and industry stay with the regulators.
SELF_SERVICE_FIELDS = ("name_en", "address", "latitude", "longitude", "business_scope")


def can_create(actor: Any) -> bool:
    """`actor=None` is the system itself (the demo seed, CLI imports), run by whoever holds the server's shell."""
    if actor is None:
        return True
    return authz.has_perm(actor, "enterprises.add_enterprise") and not getattr(actor, "is_enterprise_user", False)


def can_edit(actor: Any, enterprise: Any) -> bool:
    return authz.has_perm(actor, "enterprises.change_enterprise", enterprise)


def editable_fields(actor: Any, enterprise: Any) -> tuple[str, ...]:
    if not can_edit(actor, enterprise):
        return ()
    return SELF_SERVICE_FIELDS if actor.is_enterprise_user else REGISTRY_FIELDS


def can_override_check_character(actor: Any) -> bool:
    """Accepting a code whose check character fails is for registry keepers only (REFERENCE.md, GB 32100)."""
    return can_create(actor)


def can_manage_contacts(actor: Any, enterprise: Any) -> bool:
    """The enterprise keeps its responsible persons up to date; registry keepers may correct them."""
    return authz.has_perm(actor, "enterprises.change_enterprise", enterprise)
