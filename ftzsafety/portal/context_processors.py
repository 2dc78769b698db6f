from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ftzsafety.accounts.selectors import demo_data_present
from ftzsafety.portal.navigation import navigation_for


def portal(request: HttpRequest) -> dict[str, Any]:
    """The shell's context: navigation by role, and whether the "demo data" banner shows (one query, lazily)."""
    user = getattr(request, "user", None)
    return {
        "nav_items": navigation_for(user, request.path) if user is not None else [],
        "demo_data": SimpleLazyObject(demo_data_present),
    }
