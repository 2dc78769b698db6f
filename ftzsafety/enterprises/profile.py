"""One enterprise, one file (一企一档; issue 4 item 4, PRODUCT.md P1.3): everything the zone holds about an
enterprise, as the viewer may see it.

`enterprise_profile(actor=…, uscc=…)` assembles: the registry identity; one section per department dataset (driven
by `exchange.datasets.DATASETS`, read through `exchange.selectors.dataset_records`) with the visible count, the
count of rows the viewer may not see, and the latest rows masked to the viewer's clearance; the enterprise's
documents (file once, share with many); a timeline merging every dataset and the documents by date; the cross-border
dangerous-goods chain; and the extra panels other modules register.

Visibility is `core.authz.visible_to`'s (classification + grants; 数据安全法 第二十一条 分类分级), masking is
`security.masking`'s (个人信息保护法 第五十一条; GB/T 35273-2020 §6.2); confidential rows read here are audited with
the grant they were read under (GB/T 22239-2019 §8.1.4.3). The cost is fixed: per dataset one aggregate, one
page of rows (plus one prefetch for child lines and one grant lookup for masking), whatever the table sizes — every
query filters on the indexed enterprise column.

Extra panels (filings, hazards, credit …) register themselves from their AppConfig.ready()::

    from ftzsafety.enterprises.profile import ProfilePanel, register_profile_panel
    register_profile_panel(ProfilePanel(key="filings", title=_("Filings"), url_name="filings:enterprise_panel"))

The page loads each panel's htmx fragment (`url_name` reversed with `uscc=`); the fragment does its own scoping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from django.db.models import Count, Q, Window
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ftzsafety.core.models import Classification

SECTION_ROWS = 5  # rows shown per dataset section
FETCH_ROWS = 10  # rows read per dataset: the section's and the timeline's
TIMELINE_ROWS = 10  # the merged timeline is exact for this many events (each source contributes its latest FETCH_ROWS)
DOCUMENT_ROWS = 20


# --- extra panels -------------------------------------------------------------------------------------------------


def _always(actor: Any, enterprise: Any) -> bool:
    return True


@dataclass(frozen=True)
class ProfilePanel:
    """A panel another module adds to the profile: a title and the URL name of an htmx fragment taking `uscc`."""

    key: str
    title: Promise | str
    url_name: str
    visible: Callable[[Any, Any], bool] = _always
    order: int = 100


PROFILE_PANELS: list[ProfilePanel] = []


def register_profile_panel(panel: ProfilePanel) -> ProfilePanel:
    """Add (or replace, by key) a panel. Call it from your AppConfig.ready(); safe to call twice."""
    PROFILE_PANELS[:] = [p for p in PROFILE_PANELS if p.key != panel.key]
    PROFILE_PANELS.append(panel)
    PROFILE_PANELS.sort(key=lambda p: (p.order, p.key))
    return panel


def profile_panels(actor: Any, enterprise: Any) -> list[dict[str, Any]]:
    """The registered panels this actor may see, with their fragment URLs (a panel whose URL does not resolve is
    left out rather than breaking the page)."""
    out = []
    for panel in PROFILE_PANELS:
        try:
            if not panel.visible(actor, enterprise):
                continue
            url = reverse(panel.url_name, kwargs={"uscc": enterprise.uscc})
        except NoReverseMatch:
            continue
        out.append({"key": panel.key, "title": str(panel.title), "url": url})
    return out


# --- helpers ------------------------------------------------------------------------------------------------------


# The column that dates a dataset's row as an event (declared, departed, started, counted, inspected, issued,
# recorded), first match wins; otherwise the first date column of the model's ordering.
EVENT_DATE_FIELDS = (
    "declared_on",
    "departs_on",
    "started_at",
    "as_of",
    "last_inspected_on",
    "valid_from",
    "recorded_at",
)
# Datasets of continuous measurements (GPS positions every few seconds): a section, but not timeline events.
NOT_EVENTS = frozenset({"transport-tracks"})


def _date_field(model: Any) -> str:
    """The column a dataset's rows are dated by on the profile and its timeline."""
    from django.db.models import DateField

    names = {f.name: f for f in model._meta.concrete_fields}
    for name in EVENT_DATE_FIELDS:
        if name in names:
            return name
    for entry in model._meta.ordering or ():
        name = str(entry).lstrip("-")
        if isinstance(names.get(name), DateField):  # DateTimeField is a DateField
            return name
    return "created_at"


def _sort_key(value: Any) -> datetime:
    """Dates and datetimes on one axis (a date counts as its start, in the current time zone)."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time.min))
    return datetime(1970, 1, 1, tzinfo=UTC)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return str(value)
    return value


def _department_labels(codes: tuple[str, ...]) -> list[dict[str, str]]:
    from ftzsafety.accounts.choices import DepartmentCode

    labels = dict(DepartmentCode.choices)
    return [{"code": c, "name": str(labels.get(c, c))} for c in codes]


def _request_access_url(actor: Any, model_label: str) -> str:
    from ftzsafety.security.policies import can_request

    if not can_request(actor):
        return ""
    return f"{reverse('security:request_new')}?dataset={model_label}"


def _may_request(actor: Any) -> bool:
    from ftzsafety.security.policies import can_request

    return bool(can_request(actor))


def _restricted(actor: Any, enterprise: Any, classification: str) -> bool:
    """Whether a dataset of this classification is not shared with the viewer at all (associations, agencies …
    read public data only; 数据安全法 第二十一条): the page says so instead of "no records"."""
    if getattr(actor, "is_government", False):
        return False
    if getattr(actor, "is_enterprise_user", False) and enterprise.organisation_id == actor.organisation_id:
        return False
    return classification != Classification.PUBLIC


def _page_and_counts(
    visible: Any, *, order: list[str], limit: int, confidential_total: int | None
) -> tuple[list, dict]:
    """The latest `limit` visible rows, with how many rows the viewer sees in all (a window count over the same
    query: one statement) and, given the enterprise's confidential total (viewers who may ask for a grant), how many
    confidential rows they do not see."""
    confidential = Q(classification=Classification.CONFIDENTIAL)
    page = list(
        visible.annotate(
            profile_visible=Window(Count("pk")), profile_confidential=Window(Count("pk", filter=confidential))
        ).order_by(*order)[:limit]
    )
    seen = page[0].profile_visible if page else 0
    seen_confidential = page[0].profile_confidential if page else 0
    unseen = (confidential_total - seen_confidential) if confidential_total is not None else 0
    return page, {"visible": seen, "hidden": max(unseen, 0)}


def _confidential_totals(querysets: dict[str, Any]) -> dict[str, int]:
    """How many confidential rows each of the enterprise's datasets holds, whoever may see them: one UNION ALL
    statement over the per-table indexed counts (a system count, never rows)."""
    from django.db.models import CharField, Value

    parts = [
        qs.filter(classification=Classification.CONFIDENTIAL)
        .order_by()
        .values("enterprise")
        .annotate(profile_key=Value(key, output_field=CharField()), profile_n=Count("pk"))
        .values_list("profile_key", "profile_n")
        for key, qs in querysets.items()
    ]
    if not parts:
        return {}
    totals = dict.fromkeys(querysets, 0)
    totals.update(dict(parts[0].union(*parts[1:], all=True)))
    return totals


def _live_grants(actor: Any) -> dict[int, list[Any]]:
    """The viewer's live grants by dataset (content type id), in one query; only government people hold grants."""
    from collections import defaultdict

    from ftzsafety.security.selectors import grant_list

    if not getattr(actor, "is_government", False):
        return {}
    grants: dict[int, list[Any]] = defaultdict(list)
    for grant in grant_list(actor=actor, mine=True, live_only=True):
        grants[grant.content_type_id].append(grant)
    return grants


def _grants_for_model(grants: dict[int, list[Any]], model: Any) -> list[Any]:
    from django.contrib.contenttypes.models import ContentType

    return grants.get(ContentType.objects.get_for_model(model).pk, [])


def _grant_for(row: Any, grants: list[Any]) -> Any:
    for grant in grants:
        if grant.object_id == row.pk:
            return grant
    for grant in grants:
        if grant.object_id is None and grant.owner_id == row.owner_id:
            return grant
    return None


def _audit_confidential(actor: Any, rows: list[Any], grants: list[Any] | None) -> None:
    """Audit each confidential row shown to someone other than its owner or its enterprise, naming the grant."""
    from ftzsafety.security.masking import is_owner_viewer
    from ftzsafety.security.services import record_confidential_read

    for row in rows:
        if getattr(row, "classification", "") != Classification.CONFIDENTIAL:
            continue
        if is_owner_viewer(actor, row):
            record_confidential_read(actor, row, None)
            continue
        if grants is None:
            from ftzsafety.security.selectors import grants_live_for

            grants = list(grants_live_for(actor, type(row)._meta.label_lower))
        record_confidential_read(actor, row, _grant_for(row, grants))


# --- dataset sections ---------------------------------------------------------------------------------------------


def _dataset_section(
    actor: Any, enterprise: Any, spec: Any, grants: dict[int, list[Any]], totals: dict[str, int]
) -> dict[str, Any]:
    from ftzsafety.exchange.selectors import dataset_records
    from ftzsafety.security.masking import mask_instance, sensitive_fields_of

    model = spec.model
    visible = dataset_records(actor=actor, dataset=spec.slug).filter(enterprise=enterprise)
    date_field = _date_field(model)
    rows, counts = _page_and_counts(
        visible, order=[f"-{date_field}", "-pk"], limit=FETCH_ROWS, confidential_total=totals.get(spec.slug)
    )
    skip = {"enterprise_code", "enterprise_name"}
    field_names = [f.name for f in spec.fields if f.name not in skip]
    kinds = sensitive_fields_of(model)
    model_grants = _grants_for_model(grants, model)
    masked = [mask_instance(actor, row, [*field_names, "classification"], grants=model_grants) for row in rows]
    child_name = spec.child.name if spec.child else ""
    related = spec.child.model._meta.get_field(spec.child.parent_field).remote_field.related_name if spec.child else ""
    choice_fields = [name for name in field_names if getattr(model._meta.get_field(name), "choices", None)]
    items = []
    for row, values in zip(rows, masked, strict=True):
        item = {name: _json_value(values[name]) for name in [*field_names, "classification"]}
        item["id"] = row.pk
        item["title"] = str(row) if not (set(spec.natural_key) & set(kinds)) else f"#{row.pk}"
        item["date"] = _json_value(getattr(row, date_field))
        if child_name and related:
            item[child_name] = [
                {f.name: _json_value(getattr(line, f.name)) for f in spec.child.fields}
                for line in getattr(row, related).all()
            ]
        item["labels"] = {
            name: str(dict(model._meta.get_field(name).flatchoices).get(item[name], item[name]))
            for name in choice_fields
            if item.get(name) not in (None, "")
        }
        item["_sort"] = _sort_key(getattr(row, date_field))
        items.append(item)
    _audit_confidential(actor, rows, model_grants)
    hidden = counts["hidden"]
    return {
        "dataset": spec.slug,
        "restricted": _restricted(actor, enterprise, spec.classification),
        "label": str(spec.label),
        "model": model._meta.label_lower,
        "owners": _department_labels(spec.owner_departments),
        "classification": spec.classification,
        "classification_label": str(Classification(spec.classification).label),
        "columns": [{"name": f.name, "label": str(f.label)} for f in spec.fields if f.name not in skip],
        "child": {"name": child_name, "columns": [{"name": f.name, "label": str(f.label)} for f in spec.child.fields]}
        if spec.child
        else None,
        "masked_fields": sorted(kinds),
        "count": counts["visible"],
        "hidden": hidden,
        "request_access_url": _request_access_url(actor, model._meta.label_lower) if hidden else "",
        "date_field": date_field,
        "rows": items,
    }


# --- documents ----------------------------------------------------------------------------------------------------


def _documents_section(
    actor: Any, enterprise: Any, grants: dict[int, list[Any]], totals: dict[str, int]
) -> dict[str, Any]:
    from ftzsafety.documents.choices import DocumentKind
    from ftzsafety.documents.policies import can_upload
    from ftzsafety.documents.selectors import document_list

    visible = document_list(actor=actor).filter(enterprise=enterprise)
    rows, counts = _page_and_counts(
        visible, order=["-created_at", "-id"], limit=DOCUMENT_ROWS, confidential_total=totals.get("documents")
    )
    _audit_confidential(actor, rows, _grants_for_model(grants, type(rows[0])) if rows else [])
    today = timezone.localdate()
    items = [
        {
            "id": d.pk,
            "kind": d.kind,
            "kind_label": str(DocumentKind(d.kind).label),
            "title": d.title,
            "number": d.number,
            "valid_from": _json_value(d.valid_from),
            "valid_until": _json_value(d.valid_until),
            "expired": bool(d.valid_until and d.valid_until < today),
            "version": d.version,
            "classification": d.classification,
            "file_name": d.file_name,
            "size": d.size,
            "sm3": d.sm3,
            "uploaded_at": _json_value(d.created_at),
            "url": reverse("documents:detail", kwargs={"document_id": d.pk}),
            "_sort": _sort_key(d.created_at),
        }
        for d in rows
    ]
    hidden = counts["hidden"]
    return {
        "count": counts["visible"],
        "hidden": hidden,
        "request_access_url": _request_access_url(actor, "documents.document") if hidden else "",
        "items": items,
        "can_upload": can_upload(actor, enterprise),
        "upload_url": reverse("documents:upload", kwargs={"uscc": enterprise.uscc}),
    }


# --- timeline -----------------------------------------------------------------------------------------------------


def _timeline(sections: list[dict[str, Any]], documents: dict[str, Any]) -> list[dict[str, Any]]:
    events = []
    for section in sections:
        if section["dataset"] in NOT_EVENTS:
            continue
        for row in section["rows"]:
            events.append(
                {
                    "at": row["date"],
                    "source": section["dataset"],
                    "source_label": section["label"],
                    "departments": [o["name"] for o in section["owners"]],
                    "title": row["title"],
                    "classification": row["classification"],
                    "_sort": row["_sort"],
                }
            )
    for doc in documents["items"]:
        events.append(
            {
                "at": doc["uploaded_at"],
                "source": "documents",
                "source_label": _("Document filed"),
                "departments": [],
                "title": f"{doc['kind_label']}: {doc['title']} (v{doc['version']})",
                "classification": doc["classification"],
                "url": doc["url"],
                "_sort": doc["_sort"],
            }
        )
    events.sort(key=lambda e: e["_sort"], reverse=True)
    return events[:TIMELINE_ROWS]


# --- the chain ----------------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Dataclasses, tuples, Decimals and dates as JSON values."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return _json_value(value)


def _chain(actor: Any, enterprise: Any) -> dict[str, Any]:
    """The cross-border dangerous-goods chain (customs declaration → port operation → park storage → waybill,
    linked by UN number, quantities and dates) from `exchange.chains`: each chain with its links, which links are
    hidden from the viewer and which are missing."""
    from dataclasses import asdict

    from ftzsafety.exchange.chains import cross_border_chains

    chains = [_plain(asdict(c)) for c in cross_border_chains(actor=actor, enterprise=enterprise)]
    return {"items": chains, "count": len(chains), "complete": sum(1 for c in chains if c["complete"])}


# --- the profile --------------------------------------------------------------------------------------------------


def _identity(enterprise: Any) -> dict[str, Any]:
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "name_zh": enterprise.name_zh,
        "name_en": enterprise.name_en,
        "organisation_form": enterprise.organisation_form,
        "organisation_form_label": str(enterprise.get_organisation_form_display()),
        "foreign_invested": enterprise.foreign_invested,
        "investor_country": str(enterprise.investor_country or ""),
        "industry_section": enterprise.industry_section,
        "industry_class": enterprise.industry_class_id,
        "industry_class_name": enterprise.industry_class.name if enterprise.industry_class_id else "",
        "area": enterprise.area.code if enterprise.area_id else None,
        "area_name": enterprise.area.name if enterprise.area_id else "",
        "address": enterprise.address,
        "latitude": enterprise.latitude,
        "longitude": enterprise.longitude,
        "business_scope": enterprise.business_scope,
        "classification": enterprise.classification,
        "is_demo": enterprise.is_demo,
        "updated_at": _json_value(enterprise.updated_at),
    }


def _strip_sort(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip_sort(v) for k, v in obj.items() if k != "_sort"}
    if isinstance(obj, list):
        return [_strip_sort(v) for v in obj]
    return obj


def enterprise_profile(*, actor: Any, uscc: str, enterprise: Any = None) -> dict[str, Any]:
    """The enterprise's file as `actor` may see it. A hidden enterprise is NotFound (404), as everywhere.

    Returns {"enterprise", "sections": [...], "documents", "contacts", "timeline", "chain", "panels"}; each
    section: dataset, label, model, owners, classification, columns, count (visible), hidden (rows not shown),
    request_access_url (when some are hidden and the viewer may ask), rows (latest, masked)."""
    from ftzsafety.enterprises.selectors import contact_list, enterprise_get
    from ftzsafety.exchange.datasets import DATASETS

    if enterprise is None:
        enterprise = enterprise_get(actor=actor, uscc=uscc)
    grants = _live_grants(actor)
    totals: dict[str, int] = {}
    if _may_request(actor):  # only those who may ask for a grant are told what a grant would open
        from ftzsafety.documents.selectors import document_current_unscoped

        every = {slug: spec.model.objects.filter(enterprise=enterprise) for slug, spec in DATASETS.items()}
        every["documents"] = document_current_unscoped(enterprise=enterprise)
        totals = _confidential_totals(every)
    sections = [_dataset_section(actor, enterprise, spec, grants, totals) for spec in DATASETS.values()]
    documents = _documents_section(actor, enterprise, grants, totals)
    timeline = _timeline(sections, documents)
    contacts = contact_list(actor=actor, uscc=enterprise.uscc, enterprise=enterprise)
    for section in sections:
        section["rows"] = section["rows"][:SECTION_ROWS]
    profile = {
        "enterprise": _identity(enterprise),
        "sections": sections,
        "documents": documents,
        "contacts": {
            "items": [{k: _json_value(v) for k, v in item.items()} for item in contacts.items],
            "hidden": contacts.hidden,
            "dataset": contacts.dataset,
            "request_access_url": _request_access_url(actor, contacts.dataset) if contacts.hidden else "",
        },
        "timeline": timeline,
        "chain": _chain(actor, enterprise),
        "panels": profile_panels(actor, enterprise),
    }
    return _strip_sort(profile)


def _display(value: Any) -> Any:
    """ISO datetimes as local "YYYY-MM-DD HH:MM" for the page; everything else unchanged."""
    if isinstance(value, str) and len(value) > 10 and value[4:5] == "-" and value[10:11] == "T":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(moment) else value[:16]
    return value


def with_cells(profile: dict[str, Any]) -> dict[str, Any]:
    """For the page: each section row gets `cells` in column order (templates cannot index a dict by a variable),
    choice codes as their labels and datetimes in local time; child lines (goods) are summarised as their UN
    numbers; timeline events get `at_display`."""
    for section in profile["sections"]:
        child = section.get("child")
        for row in section["rows"]:
            labels = row.get("labels", {})
            row["cells"] = [_display(labels.get(c["name"], row.get(c["name"]))) for c in section["columns"]]
            if child:
                lines = row.get(child["name"]) or []
                row["child_summary"] = ", ".join(
                    sorted({str(line.get("un_number")) for line in lines if line.get("un_number")})
                )
    for event in profile["timeline"]:
        event["at_display"] = _display(event["at"])
    return profile
