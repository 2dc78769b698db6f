"""Who may do what with department datasets. Pure functions."""

from typing import Any

from ftzsafety.exchange.datasets import DatasetSpec

WRITER_ROLES = ("officer", "reviewer", "department_head")


def writing_department(actor: Any, spec: DatasetSpec) -> str | None:
    """The department code under which `actor` may write `spec`'s dataset, or None.

    Only the owning department's officers (or a system-integration account of that department, authenticated by
    its API token) write a dataset (数据安全法 第二十七条: the department that collects data is responsible for it).
    """
    if not (actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active):
        return None
    if not actor.is_government or not actor.has_role(*WRITER_ROLES):
        return None
    code = getattr(actor.organisation, "department_code", "") or ""
    return code if code in spec.owner_departments else None


def can_write(actor: Any, spec: DatasetSpec) -> bool:
    return writing_department(actor, spec) is not None


def can_view_exchange(actor: Any) -> bool:
    """Import jobs and the resolution queue are government work."""
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_government)


def can_confirm(actor: Any) -> bool:
    return can_view_exchange(actor) and actor.has_role(*WRITER_ROLES, "commander")


def can_read_dataset(actor: Any, spec: DatasetSpec, *, enterprise_organisation_id: int | None = None) -> bool:
    """Whether `actor` may read `spec`'s dataset at its classification, about the enterprise whose account
    organisation is `enterprise_organisation_id` — the dataset-level mirror of `core.authz.visible_to` (which
    still decides row by row). Used to mark a link as hidden rather than let it look missing (数据安全法 第二十一条:
    classified protection; GB/T 22239-2019 §8.1.4.2 access control by security label)."""
    from ftzsafety.core.models import Classification

    if not (actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active):
        return False
    if actor.is_platform_admin or actor.organisation_id is None:
        return False
    if spec.classification == Classification.PUBLIC:
        return True
    if actor.is_government:
        if spec.classification == Classification.INTERNAL:
            return True
        if getattr(actor.organisation, "department_code", "") in spec.owner_departments:
            return True
        from ftzsafety.security.selectors import grants_live_for

        return grants_live_for(actor, spec.model._meta.label_lower).exists()
    if actor.is_enterprise_user:
        return enterprise_organisation_id is not None and enterprise_organisation_id == actor.organisation_id
    return False
