"""Pure rules for field enforcement."""

from typing import Any

from ftzsafety.core import authz


def can_report_location(actor: Any) -> bool:
    """Officers and department heads in the field report where they are (enforcement.report_location)."""
    return bool(getattr(actor, "is_government", False)) and authz.has_perm(actor, "enforcement.report_location")
