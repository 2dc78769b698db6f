from typing import Any

from django.http import HttpRequest

from ftzsafety.portal.navigation import navigation_for


def portal(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"nav_items": navigation_for(user, request.path) if user is not None else []}
