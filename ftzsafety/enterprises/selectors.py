"""Reads of the registry. Every one starts from core.authz.visible_to."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from ftzsafety.core import authz
from ftzsafety.core.errors import ValidationFailed
from ftzsafety.enterprises import search
from ftzsafety.enterprises.choices import ContactRole
from ftzsafety.enterprises.models import Enterprise, EnterpriseContact, IndustryClass, ZoneArea


@dataclass(frozen=True)
class EnterpriseFilters:
    q: str = ""
    area: str = ""  # ZoneArea.code
    industry_section: str = ""
    industry_class: str = ""
    foreign_invested: bool | None = None
    cross_border_dangerous_goods: bool = False  # declared at customs and carried under waybills (issue 4, item 5)
    since: date | None = None  # the period's first day, for the cross-border filter


def parse_since(value: str | date | None) -> date | None:
    """The `since` filter as a date; a malformed one is refused with the field named (ValidationFailed, 422)."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed.for_fields(
            {"since": [_("“%(value)s” is not a date: give it as YYYY-MM-DD, e.g. 2026-01-31.") % {"value": text[:40]}]}
        ) from None


def enterprise_list(*, actor: Any, filters: EnterpriseFilters | None = None) -> QuerySet[Enterprise]:
    """Visible enterprises matching the filters, by name (by search rank, then name, when `q` is given).

    `q` is a search (enterprises.search): words of the names and the business scope with synonyms, a credit-code
    prefix or the exact name, through indexes; when none of those matches, names containing `q`. Results rank the
    exact code first, then the exact name, then names and codes starting with `q`. `cross_border_dangerous_goods`
    keeps enterprises with dangerous goods declared at customs and carried under waybills since `since`.
    """
    f = filters or EnterpriseFilters()
    qs = authz.visible_to(actor, Enterprise.objects.all()).select_related("area", "industry_class")
    q = f.q.strip()
    if f.area:
        qs = qs.filter(area__code=f.area)
    if f.industry_section:
        qs = qs.filter(industry_section=f.industry_section)
    if f.industry_class:
        qs = qs.filter(industry_class_id=f.industry_class)
    if f.foreign_invested is not None:
        qs = qs.filter(foreign_invested=f.foreign_invested)
    if f.cross_border_dangerous_goods:
        from ftzsafety.exchange.chains import cross_border_enterprise_ids

        qs = qs.filter(pk__in=cross_border_enterprise_ids(actor=actor, since=f.since))
    if q:
        ids = _matching_ids(qs, search.word_match(q), q)
        if not ids:  # no word, code or exact name: names containing q (one scan, only then)
            ids = _matching_ids(qs, search.substring_match(q), q)
        ranked = qs.filter(search.id_set(ids)) if ids else qs.none()
        ranked = ranked.annotate(search_rank=search.rank(q)).order_by("search_rank", "name_zh", "id")
        ranked.search_count = len(ids)  # what .count() would say, known already: paginators may skip the query
        return ranked
    return qs.order_by("name_zh", "id")


def _matching_ids(qs: QuerySet[Enterprise], condition: Q, q: str) -> list[int]:
    """The ids of the first `search.COUNT_CAP + 1` visible enterprises matching `condition`, in one indexed query.

    The result list is then ranked among these ids only, so neither the count nor the sort visits every match of
    a broad query ("有限公司", a six-character code prefix: tens of thousands). Up to COUNT_CAP matches the count and
    the order are exact; beyond it the list holds COUNT_CAP + 1 rows (`search_count_capped` tells the API and the
    page to say "10,000+") ranked within those candidates, exact code and exact name first."""
    ids = list(qs.filter(condition).order_by().values_list("pk", flat=True)[: search.COUNT_CAP + 1])
    if len(ids) <= search.COUNT_CAP:
        return ids
    # Capped: make sure the exact code and the exact Chinese name (both matches of either condition, both on
    # unique/indexed columns) are among the candidates, so they still come first.
    exact = qs.filter(Q(uscc=q.upper()) | Q(name_zh=q)).order_by().values_list("pk", flat=True)[:10]
    return list(dict.fromkeys([*exact, *ids]))[: search.COUNT_CAP + 1]


def search_count_capped(count: int) -> bool:
    """Whether a search result count from `enterprise_list` is the cap rather than the exact number."""
    return count > search.COUNT_CAP


def enterprise_attach_cross_border(*, actor: Any, enterprises: list[Enterprise], since: date | None) -> None:
    """Set `cross_border` on each enterprise of a page: the summary of its dangerous-goods chain in the period (UN
    numbers declared at customs and carried under waybills, counts, quantities masked to the viewer), or None.
    Three queries for the page (exchange.chains.cross_border_summaries), whatever its size."""
    from ftzsafety.exchange.chains import cross_border_summaries

    summaries = cross_border_summaries(actor=actor, enterprise_ids=[e.pk for e in enterprises], since=since)
    for enterprise in enterprises:
        enterprise.cross_border = summaries.get(enterprise.pk)


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


def contact_list(*, actor: Any, uscc: str, enterprise: Enterprise | None = None) -> ContactsView:
    """Responsible persons of a visible enterprise. Confidential: the owner (emergency management) and the
    enterprise itself read them in clear; others only under a live grant, field by field, each read audited with
    its grant; rows not granted are counted, not shown, so the page can offer "request access". `enterprise`: the
    enterprise as the caller already fetched it through `enterprise_get` (saves the second lookup)."""
    from ftzsafety.security import masking
    from ftzsafety.security.selectors import grant_covering
    from ftzsafety.security.services import record_confidential_read

    if enterprise is None or enterprise.uscc != (uscc or "").strip().upper():  # the caller's own visible fetch
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
