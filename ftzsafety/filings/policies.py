"""Who may do what with filings. Pure functions over the actor's role permissions (accounts.roles.ROLE_SPECS) and
the object: an enterprise files for itself only; a department's reviewer decides only that department's reviews."""

from typing import Any

from ftzsafety.core import authz


def _signed_in(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active)


def department_of(actor: Any) -> str:
    organisation = getattr(actor, "organisation", None)
    return getattr(organisation, "department_code", "") or ""


def can_file(actor: Any, filing: Any = None) -> bool:
    if not _signed_in(actor) or not actor.is_enterprise_user:
        return False
    return authz.has_perm(actor, "filings.file_filing", filing)


def can_decide(actor: Any, review: Any) -> bool:
    """A reviewer, officer or head of THE department the review belongs to (P3.2)."""
    if not _signed_in(actor) or not actor.is_government:
        return False
    return actor.has_perm("filings.review_filing") and department_of(actor) == review.department


def can_review_anything(actor: Any) -> bool:
    return _signed_in(actor) and actor.is_government and actor.has_perm("filings.review_filing")


def can_revoke(actor: Any) -> bool:
    return _signed_in(actor) and actor.is_government and actor.has_perm("filings.revoke_filing")


def can_establish_false_filing(actor: Any) -> bool:
    return _signed_in(actor) and actor.is_government and actor.has_perm("filings.establish_false_filing")


def can_view_metrics(actor: Any) -> bool:
    return _signed_in(actor) and actor.is_government and actor.has_perm("filings.view_filing")


def can_edit_rules(actor: Any) -> bool:
    """Review rules and destinations are kept by the zone administration (管委会); `actor=None` is the system itself
    (migrations, the demo seed)."""
    if actor is None:
        return True
    if not _signed_in(actor):
        return False
    if actor.is_superuser:
        return True
    return bool(
        actor.is_government and department_of(actor) == "zone_admin" and actor.has_perm("filings.change_reviewrule")
    )
