"""Reads of the registry. Every one starts from core.authz.visible_to."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from ftzsafety.core import authz
from ftzsafety.core.codes import USCC_ALPHABET
from ftzsafety.enterprises.choices import ContactRole
from ftzsafety.enterprises.models import Enterprise, EnterpriseContact, IndustryClass, ZoneArea


@dataclass(frozen=True)
class EnterpriseFilters:
    q: str = ""
    area: str = ""  # ZoneArea.code
    industry_section: str = ""
    industry_class: str = ""
    foreign_invested: bool | None = None


def _looks_like_code_prefix(q: str) -> bool:
    return len(q) >= 2 and all(ch in USCC_ALPHABET for ch in q.upper())


def enterprise_list(*, actor: Any, filters: EnterpriseFilters | None = None) -> QuerySet[Enterprise]:
    """Visible enterprises matching the filters; `q` matches names (zh/en) or a credit-code prefix."""
    f = filters or EnterpriseFilters()
    qs = authz.visible_to(actor, Enterprise.objects.all()).select_related("area", "industry_class")
    q = f.q.strip()
    if q:
        match = Q(name_zh__icontains=q) | Q(name_en__icontains=q)
        if _looks_like_code_prefix(q):
            match |= Q(uscc__startswith=q.upper())
        qs = qs.filter(match)
    if f.area:
        qs = qs.filter(area__code=f.area)
    if f.industry_section:
        qs = qs.filter(industry_section=f.industry_section)
    if f.industry_class:
        qs = qs.filter(industry_class_id=f.industry_class)
    if f.foreign_invested is not None:
        qs = qs.filter(foreign_invested=f.foreign_invested)
    return qs.order_by("name_zh", "id")


def enterprise_get(*, actor: Any, uscc: str) -> Enterprise:
    qs = Enterprise.objects.select_related("area", "industry_class", "organisation", "owner")
    return authz.get_visible(actor, qs, uscc=(uscc or "").strip().upper())


@dataclass(frozen=True)
class RegistryStats:
    total: int
    foreign_invested: int
    by_area: list[dict[str, Any]]
    by_industry: list[dict[str, Any]]


def enterprise_stats(*, actor: Any) -> RegistryStats:
    """Counts over the enterprises the actor can see (three aggregate queries)."""
    qs = authz.visible_to(actor, Enterprise.objects.all())
    totals = qs.aggregate(total=Count("id"), foreign=Count("id", filter=Q(foreign_invested=True)))
    areas = {a.pk: a for a in ZoneArea.objects.all()}
    by_area = [
        {
            "code": areas[row["area"]].code if row["area"] else "",
            "name": areas[row["area"]].name if row["area"] else "",
            "count": row["n"],
        }
        for row in qs.values("area").annotate(n=Count("id")).order_by("-n")
    ]
    sections = dict(Enterprise._meta.get_field("industry_section").flatchoices)
    by_industry = [
        {"section": row["industry_section"], "name": str(sections.get(row["industry_section"], "")), "count": row["n"]}
        for row in qs.values("industry_section").annotate(n=Count("id")).order_by("-n")
    ]
    return RegistryStats(totals["total"], totals["foreign"], by_area, by_industry)


def enterprise_map_points(*, actor: Any, limit: int = 5000) -> list[dict[str, Any]]:
    qs = enterprise_list(actor=actor).filter(latitude__isnull=False, longitude__isnull=False)
    return [
        {"uscc": e.uscc, "name": e.name, "lat": e.latitude, "lng": e.longitude, "foreign": e.foreign_invested}
        for e in qs[:limit]
    ]


@authz.register_scope(ZoneArea)
@authz.register_scope(IndustryClass)
def _reference_data_scope(actor: Any, qs: QuerySet) -> QuerySet:
    """Zone geography and the industry classification are reference data for everyone signed in."""
    return qs


def zone_area_list(*, actor: Any) -> QuerySet[ZoneArea]:
    return authz.visible_to(actor, ZoneArea.objects.order_by("code"))


def industry_class_list(*, actor: Any, section: str = "") -> QuerySet[IndustryClass]:
    qs = authz.visible_to(actor, IndustryClass.objects.all())
    return qs.filter(section=section) if section else qs


def enterprise_get_own(*, actor: Any) -> Enterprise | None:
    """The enterprise whose account organisation the actor belongs to (enterprise users), else None."""
    if not getattr(actor, "is_enterprise_user", False):
        return None
    qs = authz.visible_to(actor, Enterprise.objects.select_related("area", "industry_class"))
    return qs.filter(organisation_id=actor.organisation_id).first()


@dataclass(frozen=True)
class ContactsView:
    """The responsible persons an actor may see, masked to their clearance, and how many stay hidden."""

    items: list[dict[str, Any]]
    hidden: int
    dataset: str = "enterprises.enterprisecontact"


def contact_list(*, actor: Any, uscc: str) -> ContactsView:
    """Responsible persons of a visible enterprise. Confidential: the owner (emergency management) and the
    enterprise itself read them in clear; others only under a live grant, field by field, each read audited with
    its grant; rows not granted are counted, not shown, so the page can offer "request access"."""
    from ftzsafety.security import masking
    from ftzsafety.security.selectors import grant_covering
    from ftzsafety.security.services import record_confidential_read

    enterprise = enterprise_get(actor=actor, uscc=uscc)
    every = EnterpriseContact.objects.filter(enterprise=enterprise)
    visible = list(authz.visible_to(actor, every).order_by("role"))
    hidden = every.count() - len(visible)
    items = masking.mask_instances(actor, visible, fields=["role", "name", "resident_id", "phone", "updated_at"])
    for item in items:
        item["role_display"] = str(ContactRole(item["role"]).label)
    for contact in visible:
        own = contact.owner_id == actor.organisation_id or enterprise.organisation_id == actor.organisation_id
        record_confidential_read(actor, contact, None if own else grant_covering(actor, contact))
    return ContactsView(items=items, hidden=hidden)
