"""The navigation bar, by role. An entry appears only for people who may use the page behind it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


@dataclass(frozen=True)
class NavEntry:
    label: Promise
    url_name: str
    allowed: Callable[[Any], bool]
    exact: bool = False


def _may_view_registry(user: Any) -> bool:
    return user.has_perm("enterprises.view_enterprise") and not user.is_platform_admin


def _integrates_systems(user: Any) -> bool:
    return user.is_government or user.has_role("system_admin")


# In display order. Later issues add their entries here (hazards, filings, emergency …).
ENTRIES: tuple[NavEntry, ...] = (
    NavEntry(_("Home"), "portal:home", lambda user: True, exact=True),
    NavEntry(_("Enterprises"), "enterprises:list", _may_view_registry),
    NavEntry(_("Dangerous goods"), "dangerous_goods:lookup", lambda user: not user.is_platform_admin),
    NavEntry(
        _("Filings"), "filings:list", lambda user: user.has_perm("filings.view_filing") and not user.is_platform_admin
    ),
    NavEntry(_("E-certificates"), "certificates:list", lambda user: user.is_government or user.is_enterprise_user),
    # Government users reach documents on each enterprise's profile; the enterprise files its own here.
    NavEntry(_("Documents"), "documents:list", lambda user: user.is_enterprise_user),
    NavEntry(_("Hazards"), "hazards:list", lambda user: bool(user.role_names) and not user.is_platform_admin),
    NavEntry(_("Data exchange"), "exchange:catalogue", lambda user: user.is_government),
    NavEntry(_("Credit"), "credit:list", lambda user: user.has_perm("credit.view_creditgrade")),
    NavEntry(_("Data access"), "security:home", lambda user: user.is_government or user.has_role("security_admin")),
    NavEntry(_("Accounts"), "accounts:users", lambda user: user.has_role("system_admin", "security_admin")),
    NavEntry(_("Audit trail"), "audit:list", lambda user: user.has_perm("audit.view_auditrecord")),
    NavEntry(_("API"), "api:openapi-view", _integrates_systems),
    NavEntry(_("Back office"), "admin:index", lambda user: user.is_staff),
)


def navigation_for(user: Any, path: str) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for entry in ENTRIES:
        if not entry.allowed(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # an app whose pages are not wired in this deployment
            continue
        active = path == url if entry.exact else path.startswith(url)
        items.append(NavItem(str(entry.label), url, active))
    return items
