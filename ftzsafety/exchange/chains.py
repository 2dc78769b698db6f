"""The cross-border chain for dangerous goods (issue 4, items 4 and 5; PRODUCT.md P1.3).

Dangerous goods that enter the zone leave a trail across four departments: the customs declaration (a goods line
with a UN number, 海关法 第二十四条), the port operation that unloads or stores them in the yard (港口危险货物安全管理
规定), the park warehouse inventory that holds them (危险化学品安全管理条例 第二十四条) and the road waybill that
carries them on (危险货物道路运输安全管理办法 第二十三条). No department holds the whole trail; this module links it
by enterprise, UN number and dates:

- each import declaration line with a UN number starts a chain;
- a port unloading / yard-storage operation of the same enterprise and UN number belongs to the latest such
  declaration on or before its start, within PORT_WINDOW;
- a storage inventory (as of) and a waybill (departure) belong to the latest such declaration on or before them,
  within CHAIN_WINDOW, and must not precede the chain's first port operation / first inventory respectively.

The windows are matching heuristics, not regulation: a declaration's goods are normally discharged within days
(海关 72-hour declaration rule for arrivals: 海关法 第二十四条 requires declaration within 14 days of arrival) and
moved on within a quarter.

Every query is set-based: a fixed number of queries whatever the data size (one per dataset plus one per masked
model for grants). Each dataset is read through `core.authz.visible_to`; a dataset the viewer may not read is named
in `hidden_links` instead of looking empty.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from ftzsafety.core import authz
from ftzsafety.exchange import policies
from ftzsafety.exchange.choices import Direction, PortOperationKind
from ftzsafety.exchange.datasets import DATASETS
from ftzsafety.exchange.models import CustomsGoodsLine

PORT_WINDOW = timedelta(days=30)
CHAIN_WINDOW = timedelta(days=90)

CUSTOMS = "customs-declarations"
PORT = "port-operations"
STORAGE = "storage-inventories"
WAYBILLS = "dangerous-goods-waybills"
LINKS = (CUSTOMS, PORT, STORAGE, WAYBILLS)
INBOUND_KINDS = (PortOperationKind.UNLOADING, PortOperationKind.YARD_STORAGE)


@dataclass(frozen=True)
class DeclarationLink:
    id: int
    declaration_no: str
    declared_on: date
    direction: str
    port: str
    country: str
    line_no: int
    hs_code: str
    goods_name: str
    quantity: Decimal
    unit: str


@dataclass(frozen=True)
class PortOperationLink:
    id: int
    operation_no: str
    kind: str
    vessel: str
    voyage: str
    berth: str
    yard_position: str
    quantity: Decimal | str  # a masked string ("***") when the viewer may not read it in clear
    unit: str
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class StorageLink:
    id: int
    warehouse: str
    chemical_name: str
    quantity: Decimal | str
    unit: str
    as_of: datetime


@dataclass(frozen=True)
class WaybillLink:
    id: int
    waybill_no: str
    carrier: str
    vehicle: str
    quantity: Decimal | str
    unit: str
    origin: str
    destination: str
    departs_on: date
    arrives_on: date | None


@dataclass(frozen=True)
class DangerousGoodsChain:
    """One declared dangerous good followed through the zone. `complete`: every link found (and visible);
    `hidden_links`: dataset slugs the viewer may not read (those links are unknown, not absent);
    `missing_links`: visible datasets with nothing matching."""

    un_number: str
    declaration: DeclarationLink
    port_operations: tuple[PortOperationLink, ...]
    storage: tuple[StorageLink, ...]
    waybills: tuple[WaybillLink, ...]
    complete: bool
    hidden_links: tuple[str, ...] = ()
    missing_links: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChainSummary:
    """The cross-border activity of one enterprise in a period, for a list row. Quantities are totals per unit
    (e.g. {"t": Decimal("38.5")}); `waybill_quantities` is None when the viewer may not read waybill quantities
    in clear (a commercial figure, masked)."""

    enterprise_id: int
    un_numbers: tuple[str, ...]
    declarations: int
    waybills: int
    declared_quantities: dict[str, Decimal] = field(default_factory=dict)
    waybill_quantities: dict[str, Decimal] | None = None


def _local_date(value: datetime | date) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


def _visible(actor: Any, slug: str) -> QuerySet:
    return authz.visible_to(actor, DATASETS[slug].model.objects.all())


def hidden_datasets(*, actor: Any, enterprise: Any) -> tuple[str, ...]:
    """The chain's datasets `actor` may not read for `enterprise` (dataset level; rows are still scoped)."""
    org_id = getattr(enterprise, "organisation_id", None)
    return tuple(
        slug
        for slug in LINKS
        if not policies.can_read_dataset(actor, DATASETS[slug], enterprise_organisation_id=org_id)
    )


def _masked(actor: Any, rows: list) -> list[dict[str, Any]]:
    from ftzsafety.security.masking import mask_instances

    return mask_instances(actor, rows)


def _latest_before(starts: list[tuple[date, int, int]], when: date, window: timedelta) -> int | None:
    """Index into `starts` (sorted (declared_on, declaration id, position)) of the latest start on or before
    `when` and no more than `window` earlier."""
    chosen = None
    for i, (declared_on, _pk, _pos) in enumerate(starts):
        if declared_on > when:
            break
        chosen = i
    if chosen is None or when - starts[chosen][0] > window:
        return None
    return chosen


def cross_border_chains(
    *, actor: Any, enterprise: Any, since: date | None = None, limit: int = 20
) -> list[DangerousGoodsChain]:
    """The latest `limit` cross-border chains of `enterprise` (newest declaration first), as `actor` may see them.

    Four queries (declaration lines, port operations, inventories, waybills) plus one grant lookup per model with
    masked fields, whatever the number of rows."""
    hidden = hidden_datasets(actor=actor, enterprise=enterprise)
    if CUSTOMS in hidden:
        return []
    declarations = _visible(actor, CUSTOMS).filter(enterprise=enterprise, direction=Direction.IMPORT)
    if since is not None:
        declarations = declarations.filter(declared_on__gte=since)
    # The latest `limit` lines come from at most the latest `limit` declarations that carry dangerous goods: pick
    # those first (the enterprise/date index, newest first, stopping at `limit`) rather than sorting every line of
    # a busy importer (thousands of declarations).
    latest = (
        declarations.filter(Exists(CustomsGoodsLine.objects.filter(declaration=OuterRef("pk")).exclude(un_number="")))
        .order_by("-declared_on", "-pk")
        .values("pk")[:limit]
    )
    lines = list(
        CustomsGoodsLine.objects.filter(declaration__in=latest)
        .exclude(un_number="")
        .select_related("declaration")
        .order_by("-declaration__declared_on", "-declaration_id", "line_no")[:limit]
    )
    if not lines:
        return []
    un_numbers = {line.un_number for line in lines}
    first = min(line.declaration.declared_on for line in lines)
    last = max(line.declaration.declared_on for line in lines) + CHAIN_WINDOW

    def downstream(slug: str, date_field: str, **extra: Any) -> list:
        if slug in hidden:
            return []
        low: date | datetime = first
        high: date | datetime = last
        if date_field != "departs_on":  # a DateTimeField: whole local days, still a range the index serves
            low = timezone.make_aware(datetime.combine(first, time.min))
            high = timezone.make_aware(datetime.combine(last, time.max))
        qs = (
            _visible(actor, slug)
            .filter(enterprise=enterprise, un_number__in=un_numbers, **{f"{date_field}__range": (low, high)}, **extra)
            .select_related("enterprise")
            .order_by(date_field, "pk")
        )
        return list(qs)

    operations = downstream(PORT, "started_at", kind__in=INBOUND_KINDS)
    inventories = downstream(STORAGE, "as_of")
    waybills = downstream(WAYBILLS, "departs_on")

    # Starts per UN number, oldest first; the first line of a declaration for a UN number starts its chain.
    starts: dict[str, list[tuple[date, int, int]]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    for pos, line in sorted(enumerate(lines), key=lambda p: (p[1].declaration.declared_on, p[1].declaration_id)):
        if (line.declaration_id, line.un_number) in seen:
            continue
        seen.add((line.declaration_id, line.un_number))
        starts[line.un_number].append((line.declaration.declared_on, line.declaration_id, pos))

    attached: dict[int, dict[str, list]] = defaultdict(lambda: {PORT: [], STORAGE: [], WAYBILLS: []})

    def attach(slug: str, rows: list, when: str, window: timedelta) -> None:
        for row, values in zip(rows, _masked(actor, rows), strict=True):
            chain_starts = starts.get(row.un_number, [])
            i = _latest_before(chain_starts, _local_date(getattr(row, when)), window)
            if i is not None:
                attached[chain_starts[i][2]][slug].append((row, values))

    attach(PORT, operations, "started_at", PORT_WINDOW)
    attach(STORAGE, inventories, "as_of", CHAIN_WINDOW)
    attach(WAYBILLS, waybills, "departs_on", CHAIN_WINDOW)

    start_positions = {pos for chain_starts in starts.values() for _d, _pk, pos in chain_starts}
    chains = []
    for pos, line in enumerate(lines):
        if pos not in start_positions:
            continue
        links = attached[pos]
        ops = links[PORT]
        earliest_op = min((_local_date(r.started_at) for r, _v in ops), default=None)
        stock = [(r, v) for r, v in links[STORAGE] if earliest_op is None or _local_date(r.as_of) >= earliest_op]
        earliest_stock = min((_local_date(r.as_of) for r, _v in stock), default=None)
        carried = [(r, v) for r, v in links[WAYBILLS] if earliest_stock is None or r.departs_on >= earliest_stock]
        found = {PORT: bool(ops), STORAGE: bool(stock), WAYBILLS: bool(carried)}
        missing = tuple(slug for slug in (PORT, STORAGE, WAYBILLS) if slug not in hidden and not found[slug])
        declaration = line.declaration
        chains.append(
            DangerousGoodsChain(
                un_number=line.un_number,
                declaration=DeclarationLink(
                    id=declaration.pk,
                    declaration_no=declaration.declaration_no,
                    declared_on=declaration.declared_on,
                    direction=declaration.direction,
                    port=declaration.port,
                    country=declaration.country,
                    line_no=line.line_no,
                    hs_code=line.hs_code,
                    goods_name=line.goods_name,
                    quantity=line.quantity,
                    unit=line.unit,
                ),
                port_operations=tuple(
                    PortOperationLink(
                        id=r.pk,
                        operation_no=r.operation_no,
                        kind=r.kind,
                        vessel=r.vessel,
                        voyage=r.voyage,
                        berth=r.berth,
                        yard_position=r.yard_position,
                        quantity=v["quantity"],
                        unit=r.unit,
                        started_at=r.started_at,
                        ended_at=r.ended_at,
                    )
                    for r, v in ops
                ),
                storage=tuple(
                    StorageLink(
                        id=r.pk,
                        warehouse=r.warehouse,
                        chemical_name=r.chemical_name,
                        quantity=v["quantity"],
                        unit=r.unit,
                        as_of=r.as_of,
                    )
                    for r, v in stock
                ),
                waybills=tuple(
                    WaybillLink(
                        id=r.pk,
                        waybill_no=r.waybill_no,
                        carrier=r.carrier,
                        vehicle=r.vehicle,
                        quantity=v["quantity"],
                        unit=r.unit,
                        origin=r.origin,
                        destination=r.destination,
                        departs_on=r.departs_on,
                        arrives_on=r.arrives_on,
                    )
                    for r, v in carried
                ),
                complete=not hidden and not missing,
                hidden_links=tuple(slug for slug in hidden if slug != CUSTOMS),
                missing_links=missing,
            )
        )
    return chains


def _dg_lines(actor: Any, since: date | None) -> QuerySet:
    declarations = _visible(actor, CUSTOMS).filter(enterprise__isnull=False)
    if since is not None:
        declarations = declarations.filter(declared_on__gte=since)
    return CustomsGoodsLine.objects.filter(declaration__in=declarations.values("pk")).exclude(un_number="")


def _carried(actor: Any, since: date | None) -> QuerySet:
    waybills = _visible(actor, WAYBILLS).filter(enterprise__isnull=False)
    if since is not None:
        waybills = waybills.filter(departs_on__gte=since)
    return waybills


def cross_border_enterprise_ids(*, actor: Any, since: date | None) -> QuerySet:
    """Ids of enterprises with dangerous goods declared at customs (a goods line with a UN number, either
    direction) AND a waybill carrying the same UN number, both on or after `since`, among the rows `actor` may see.
    A lazy `values_list` for `Enterprise.objects.filter(pk__in=...)` — one SQL statement with the caller's."""
    carried = _carried(actor, since).filter(
        enterprise_id=OuterRef("declaration__enterprise_id"), un_number=OuterRef("un_number")
    )
    return (
        _dg_lines(actor, since)
        .filter(Exists(carried))
        .order_by()
        .values_list("declaration__enterprise_id", flat=True)
        .distinct()
    )


def _quantities_clear(actor: Any, slug: str) -> bool:
    """Whether `actor` reads `model`'s quantity in clear across enterprises: the owning department, or a live
    dataset-wide grant covering the field (security.masking's rule, at dataset level)."""
    spec = DATASETS[slug]
    model = spec.model
    if "quantity" not in getattr(model, "sensitive_fields", {}):
        return True
    if not (actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active):
        return False
    if actor.is_government and getattr(actor.organisation, "department_code", "") in spec.owner_departments:
        return True
    from ftzsafety.security.selectors import grants_live_for

    return any(
        g.object_id is None and "quantity" in (g.fields or []) for g in grants_live_for(actor, model._meta.label_lower)
    )


def cross_border_summaries(*, actor: Any, enterprise_ids: list[int], since: date | None) -> dict[int, ChainSummary]:
    """Chain summaries for one page of enterprises, in three queries (+1 grant lookup): UN numbers both declared
    and carried, how many declarations and waybills concern them, and total quantities per unit."""
    ids = list(enterprise_ids)
    if not ids:
        return {}
    declared = (
        _dg_lines(actor, since)
        .filter(declaration__enterprise_id__in=ids)
        .values("declaration__enterprise_id", "un_number", "unit")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    carried_rows = (
        _carried(actor, since)
        .filter(enterprise_id__in=ids)
        .values("enterprise_id", "un_number", "unit")
        .annotate(total=Sum("quantity"), n=Count("pk"))
        .order_by()
    )
    declared_by: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for row in declared:
        declared_by[row["declaration__enterprise_id"]][row["un_number"]][row["unit"]] = row["total"]
    carried_by: dict[int, dict[str, list[tuple[str, Decimal, int]]]] = defaultdict(lambda: defaultdict(list))
    for row in carried_rows:
        carried_by[row["enterprise_id"]][row["un_number"]].append((row["unit"], row["total"], row["n"]))
    matched = {pk: sorted(set(declared_by[pk]) & set(carried_by[pk])) for pk in ids}
    condition = Q()
    for pk, uns in matched.items():
        if uns:
            condition |= Q(declaration__enterprise_id=pk, un_number__in=uns)
    declaration_counts: dict[int, int] = {}
    if condition:
        declaration_counts = dict(
            _dg_lines(actor, since)
            .filter(condition)
            .values("declaration__enterprise_id")
            .annotate(n=Count("declaration_id", distinct=True))
            .values_list("declaration__enterprise_id", "n")
            .order_by()
        )
    clear = _quantities_clear(actor, WAYBILLS)
    summaries = {}
    for pk in ids:
        uns = matched[pk]
        if not uns:
            continue
        declared_q: dict[str, Decimal] = defaultdict(Decimal)
        carried_q: dict[str, Decimal] = defaultdict(Decimal)
        waybill_count = 0
        for un in uns:
            for unit, total in declared_by[pk][un].items():
                declared_q[unit] += total or 0
            for unit, total, n in carried_by[pk][un]:
                carried_q[unit] += total or 0
                waybill_count += n
        summaries[pk] = ChainSummary(
            enterprise_id=pk,
            un_numbers=tuple(uns),
            declarations=declaration_counts.get(pk, 0),
            waybills=waybill_count,
            declared_quantities=dict(declared_q),
            waybill_quantities=dict(carried_q) if clear else None,
        )
    return summaries


__all__ = [
    "CHAIN_WINDOW",
    "PORT_WINDOW",
    "ChainSummary",
    "DangerousGoodsChain",
    "DeclarationLink",
    "PortOperationLink",
    "StorageLink",
    "WaybillLink",
    "cross_border_chains",
    "cross_border_enterprise_ids",
    "cross_border_summaries",
    "hidden_datasets",
]
