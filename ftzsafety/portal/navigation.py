"""The navigation bar, by role. An entry appears only for people who may use the page behind it."""

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation_for(user: Any, path: str) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    entries = [(_("Home"), reverse("portal:home"), True)]
    entries.append((_("Enterprises"), reverse("enterprises:list"), user.has_perm("enterprises.view_enterprise")))
    entries.append((_("Back office"), reverse("admin:index"), user.is_staff))
    home = reverse("portal:home")
    return [
        NavItem(str(label), url, path == url if url == home else path.startswith(url))
        for label, url, allowed in entries
        if allowed
    ]
