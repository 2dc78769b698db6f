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
