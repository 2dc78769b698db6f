"""Routing: which department a new hazard goes to, and why (PRODUCT.md P2.6, issue 7 item 3).

Rules are data (`RoutingRule`): category, optionally zone area and GB/T 4754 industry section → department. The most
specific active rule wins: area and industry both given beat either, either beats category alone. A report that no
rule matches goes to the zone administration's queue, which sends it on by hand (`hazard_reroute`).
"""

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from ftzsafety.hazards.choices import HazardCategory
from ftzsafety.hazards.models import RoutingRule


@dataclass(frozen=True)
class Route:
    department: Any  # accounts.Organisation
    rule: RoutingRule | None
    basis: dict[str, Any]


def route(*, category: str, area: Any, industry_section: str, fallback: Any) -> Route:
    """Apply the rules; `fallback` is the zone administration (the queue for unmatched reports)."""
    from ftzsafety.accounts.selectors import department_organisation

    candidates = RoutingRule.objects.filter(category=category, is_active=True).select_related("area").order_by("id")
    best: RoutingRule | None = None
    for rule in candidates:
        if rule.area_id is not None and (area is None or rule.area_id != area.pk):
            continue
        if rule.industry_section and rule.industry_section != industry_section:
            continue
        if best is None or rule.specificity > best.specificity:
            best = rule
    department = department_organisation(best.department_code) if best is not None else None
    if best is None or department is None:
        return Route(fallback, None, {"matched": False, "category": category, "area": "", "industry_section": ""})
    basis = {
        "matched": True,
        "category": category,
        "area": best.area.code if best.area_id else "",
        "area_name_zh": best.area.name_zh if best.area_id else "",
        "area_name_en": best.area.name_en if best.area_id else "",
        "industry_section": best.industry_section,
    }
    return Route(department, best, basis)


def routing_reason(basis: dict[str, Any], department: Any) -> str:
    """The reason shown with a hazard, in the reader's language: "routed to market supervision: category special
    equipment"."""
    from ftzsafety.core.language import localised

    category = str(HazardCategory(basis["category"]).label) if basis.get("category") in HazardCategory.values else ""
    if not basis.get("matched"):
        return _("No routing rule matches category %(category)s: sent to the zone administration's queue") % {
            "category": category
        }
    parts = [_("category %(category)s") % {"category": category}]
    if basis.get("area"):
        area = localised(basis.get("area_name_zh", ""), basis.get("area_name_en", "")) or basis["area"]
        parts.append(_("area %(area)s") % {"area": area})
    if basis.get("industry_section"):
        parts.append(_("industry section %(section)s") % {"section": basis["industry_section"]})
    return _("Routed to %(department)s: %(basis)s") % {
        "department": department.display_name() if department else "",
        "basis": ", ".join(parts),
    }


def point_in_boundary(lon: float, lat: float, boundary: dict) -> bool:
    """Ray casting against the exterior ring of a GeoJSON Polygon (zone areas are simple polygons)."""
    if not boundary or boundary.get("type") != "Polygon":
        return False
    ring = boundary["coordinates"][0]
    inside = False
    for (x1, y1), (x2, y2) in pairwise(ring):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside
