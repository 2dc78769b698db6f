"""What each role's home page shows. The rules live here, so the view only renders.

- Government people (zone administration and departments) see the registry figures and the zone map.
- Enterprise people see their own enterprise.
- Associations, agencies and experts see the public registry figures (what visible_to gives them).
- Platform administrators see account figures only, never business data (三员分立, GB/T 22239-2019 §8.1.4.2).
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ftzsafety.accounts import selectors as accounts_selectors
from ftzsafety.enterprises import selectors as enterprise_selectors

GOVERNMENT = "government"
ENTERPRISE = "enterprise"
PUBLIC = "public"
PLATFORM = "platform"
NO_ROLE = "no_role"


@dataclass
class Dashboard:
    kind: str
    context: dict[str, Any] = field(default_factory=dict)


def dashboard_for(actor: Any) -> Dashboard:
    if actor.is_platform_admin:  # checked first: an administrator never sees business data, whatever else they hold
        return Dashboard(PLATFORM, {"accounts": accounts_selectors.account_stats(actor=actor)})
    if actor.is_government:
        return Dashboard(GOVERNMENT, {**_registry_context(actor, with_map=True), **_hazard_context(actor)})
    if actor.is_enterprise_user:
        return Dashboard(
            ENTERPRISE,
            {"own_enterprise": enterprise_selectors.enterprise_get_own(actor=actor), **_hazard_context(actor)},
        )
    if actor.role_names:
        return Dashboard(PUBLIC, _registry_context(actor, with_map=False))
    return Dashboard(NO_ROLE)


def _hazard_context(actor: Any) -> dict[str, Any]:
    """Open, overdue and major hazards by responsible department, over the hazards the viewer may see (issue 7)."""
    from ftzsafety.hazards import selectors as hazard_selectors

    counts = hazard_selectors.hazard_counts_by_department(actor=actor)
    return {
        "hazard_counts": counts,
        "hazard_totals": {
            "open": sum(c.open for c in counts),
            "overdue": sum(c.overdue for c in counts),
            "major": sum(c.major for c in counts),
        },
    }


def _list_url(**params: str) -> str:
    from urllib.parse import urlencode

    return f"{reverse('enterprises:list')}?{urlencode(params)}"


def _registry_context(actor: Any, *, with_map: bool) -> dict[str, Any]:
    stats = enterprise_selectors.enterprise_stats(actor=actor)
    no_area = _("No area")
    charts = {
        "by_area": {
            "kind": "bar",
            "labels": [row["name"] or no_area for row in stats.by_area],
            "values": [row["count"] for row in stats.by_area],
            "links": [_list_url(area=row["code"]) if row["code"] else "" for row in stats.by_area],
        },
        "by_industry": {
            "kind": "pie",
            "labels": [row["name"] for row in stats.by_industry],
            "values": [row["count"] for row in stats.by_industry],
            "links": [_list_url(industry_section=row["section"]) for row in stats.by_industry],
        },
    }
    context: dict[str, Any] = {
        "stats": stats,
        "domestic": stats.total - stats.foreign_invested,
        "charts": charts,
        "area_count": len(stats.by_area),
    }
    if with_map:
        context["zone_map"] = zone_map_data(actor)
    return context


def zone_map_data(
    actor: Any, *, points: list[dict[str, Any]] | None = None, area_codes: set[str] | None = None
) -> dict:
    """Areas (GeoJSON boundaries) and enterprise points for map.js, plus the optional tile layer."""
    areas = enterprise_selectors.zone_area_list(actor=actor)
    if area_codes is not None:
        areas = areas.filter(code__in=area_codes)
    return {
        "areas": [{"code": a.code, "name": a.name, "kind": a.kind, "boundary": a.boundary} for a in areas],
        "points": enterprise_selectors.enterprise_map_points(actor=actor) if points is None else points,
        "detail_url": reverse("enterprises:detail", kwargs={"uscc": "USCC"}),
        "tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
    }
