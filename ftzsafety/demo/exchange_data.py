"""Demo department data for the seven shared datasets (issue 4), imported THROUGH `exchange.services.records_import`
by the departments' demo officers, so every row has its import job, provenance and audit record like real data.

Deterministic (seeded random; dates relative to the day of seeding), labelled demo (`is_demo` on jobs and rows,
job source names "demo: …"), a few thousand rows. Real UN numbers from GB 12268-2025 and plausible HS codes.

The demo enterprise account's company (the hazardous-chemicals trader `enterprise_admin` signs in to) gets three
hand-written cross-border chains: gasoline UN1203 and flammable liquid UN1993 complete (declaration → port →
warehouse → waybills), lithium-ion batteries UN3480 still in the warehouse (no waybill yet: incomplete). A handful
of rows name an enterprise without a credit code, to exercise resolution and pending registrations.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

SEED = 20261201
JOB_PREFIX = "demo: "

WRITERS = {
    "customs-declarations": "customs_reviewer",
    "port-operations": "maritime_officer",
    "storage-inventories": "emergency_officer",
    "dangerous-goods-waybills": "maritime_officer",
    "special-equipment": "market_officer",
    "safety-licences": "emergency_officer",
    "transport-tracks": "transport_reviewer",
}


@dataclass(frozen=True)
class Goods:
    un: str
    hs: str
    name: str
    unit: str
    low: int
    high: int


CHEMICALS = (
    Goods("UN1203", "27101211", "车用汽油", "t", 20, 60),
    Goods("UN1993", "38140000", "油漆稀释剂(易燃液体)", "t", 8, 30),
    Goods("UN1230", "29051100", "甲醇", "t", 20, 80),
    Goods("UN1170", "22072000", "乙醇", "t", 10, 40),
    Goods("UN1090", "29141100", "丙酮", "t", 10, 30),
    Goods("UN1294", "29023000", "甲苯", "t", 15, 50),
    Goods("UN1307", "29024400", "二甲苯", "t", 15, 50),
    Goods("UN1219", "29051220", "异丙醇", "t", 5, 25),
    Goods("UN2055", "29025000", "苯乙烯单体", "t", 20, 60),
    Goods("UN1263", "32089090", "涂料", "t", 3, 15),
    Goods("UN1866", "39069090", "树脂溶液", "t", 5, 20),
    Goods("UN1789", "28061000", "盐酸", "t", 10, 40),
    Goods("UN1830", "28070000", "硫酸", "t", 20, 60),
    Goods("UN1824", "28151200", "氢氧化钠溶液", "t", 10, 40),
)
BATTERIES = (
    Goods("UN3480", "85076000", "锂离子电池组", "pcs", 2000, 20000),
    Goods("UN3481", "85076000", "装在设备中的锂离子电池", "pcs", 500, 5000),
    Goods("UN3090", "85065000", "锂金属电池", "pcs", 1000, 10000),
    Goods("UN2794", "85071000", "铅酸蓄电池(湿式)", "pcs", 200, 2000),
)
LAB_CHEMICALS = (
    Goods("UN1170", "22072000", "乙醇(无水)", "kg", 200, 2000),
    Goods("UN1090", "29141100", "丙酮(试剂级)", "kg", 100, 1000),
    Goods("UN1230", "29051100", "甲醇(色谱级)", "kg", 100, 800),
)
ACIDS = (
    Goods("UN1789", "28061000", "盐酸", "t", 5, 20),
    Goods("UN1830", "28070000", "硫酸", "t", 5, 20),
    Goods("UN2031", "28080000", "硝酸", "t", 2, 10),
)
GOODS_BY_SECTOR = {
    "hazchem_trading": CHEMICALS,
    "hazchem_storage": CHEMICALS,
    "lithium_electronics": BATTERIES,
    "biomedicine": LAB_CHEMICALS,
    "metal_processing": ACIDS,
}
PLAIN_GOODS = (
    ("39011000", "聚乙烯颗粒", "t"),
    ("84713000", "笔记本电脑", "pcs"),
    ("72085100", "热轧钢板", "t"),
    ("30049090", "药品制剂", "kg"),
    ("61091000", "棉制针织T恤", "pcs"),
)
COUNTRIES = ("KR", "JP", "SG", "DE", "NL", "US", "SA", "AE", "MY", "BE")
VESSELS = ("远洋明珠", "津海7号", "东方海韵", "海丰天津", "长航吉祥", "新港之星", "渤海荣耀", "华通12")
BERTHS = ("南疆港区 3#", "南疆港区 7#", "北疆港区 12#", "东疆港区 21#", "液体化工码头 1#", "液体化工码头 2#")
DESTINATIONS = (
    "滨海化工园区",
    "临港经济区",
    "天津南港工业区",
    "河北沧州临港化工园",
    "北京亦庄",
    "山东东营港经济开发区",
)
ROUTES = ("港城大道—津晋高速", "海滨大道—荣乌高速", "跃进路—京津塘高速", "临港路—长深高速")
PORT_GATE = (Decimal("117.790"), Decimal("38.990"))

EQUIPMENT = {
    "pressure_vessel": ("容", 1095, ("储罐", "缓冲罐", "液化气储罐", "反应釜")),
    "pressure_piping": ("管", 1095, ("工艺管道",)),
    "boiler": ("锅", 365, ("燃气蒸汽锅炉",)),
    "elevator": ("梯", 365, ("乘客电梯", "载货电梯")),
    "lifting_machinery": ("起", 730, ("门座起重机", "桥式起重机", "集装箱正面吊")),
    "field_vehicle": ("厂车", 365, ("防爆叉车", "内燃叉车")),
}
EQUIPMENT_BY_SECTOR = {
    "hazchem_trading": ("pressure_vessel", "pressure_piping", "field_vehicle"),
    "hazchem_storage": ("pressure_vessel", "pressure_piping", "field_vehicle", "field_vehicle"),
    "logistics_shipping": ("lifting_machinery", "field_vehicle", "lifting_machinery"),
    "lithium_electronics": ("elevator", "field_vehicle", "pressure_vessel"),
    "metal_processing": ("lifting_machinery", "boiler", "pressure_vessel"),
    "cross_border_ecommerce": ("elevator", "field_vehicle"),
    "biomedicine": ("pressure_vessel", "boiler", "elevator"),
}


def _at(day: date, hour: int, minute: int = 0) -> str:
    return timezone.make_aware(datetime.combine(day, time(hour, minute))).isoformat()


def _qty(rng: random.Random, goods: Goods) -> Decimal:
    if goods.unit == "pcs":
        return Decimal(rng.randrange(goods.low, goods.high + 1, 50))
    return Decimal(rng.randrange(goods.low * 10, goods.high * 10 + 1)) / 10


def _plate(rng: random.Random) -> str:
    return (
        "津"
        + rng.choice("ABCDEGHJLMNQR")
        + "".join(rng.choice("0123456789") for _ in range(4))
        + rng.choice("0123456789ABCDEFG")
    )


class _Builder:
    """Accumulates rows per dataset; numbering is sequential, so the same seed gives the same keys."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.rows: dict[str, list[dict[str, Any]]] = {slug: [] for slug in WRITERS}
        self.serial: dict[str, int] = {}

    def next(self, kind: str) -> int:
        self.serial[kind] = self.serial.get(kind, 0) + 1
        return self.serial[kind]

    def add(self, slug: str, row: dict[str, Any]) -> None:
        self.rows[slug].append(row)

    def declaration(self, firm: Any, day: date, direction: str, lines: list[tuple[Goods | tuple, Decimal]],
                    country: str, *, code: str | None = None, name: str | None = None) -> str:  # fmt: skip
        number = f"0202{day.year}{1 if direction == 'import' else 0}{self.next('declaration'):09d}"
        goods = []
        for i, (item, qty) in enumerate(lines, start=1):
            if isinstance(item, Goods):
                goods.append({"line_no": i, "hs_code": item.hs, "goods_name": item.name, "un_number": item.un,
                              "quantity": str(qty), "unit": item.unit})  # fmt: skip
            else:
                hs, goods_name, unit = item
                goods.append({"line_no": i, "hs_code": hs, "goods_name": goods_name, "un_number": "",
                              "quantity": str(qty), "unit": unit})  # fmt: skip
        self.add("customs-declarations", {
            "declaration_no": number, "declared_on": day.isoformat(), "direction": direction,
            "enterprise_code": firm.uscc if code is None else code,
            "enterprise_name": firm.name_zh if name is None else name,
            "port": "天津新港", "country": country, "goods": goods,
        })  # fmt: skip
        return number

    def port_operation(self, rng: random.Random, firm: Any, day: date, kind: str, goods: Goods, qty: Decimal) -> None:
        start = rng.randrange(6, 18)
        self.add("port-operations", {
            "operation_no": f"TJMSA-DG-{day:%Y%m}-{self.next('port'):05d}", "kind": kind,
            "enterprise_code": firm.uscc, "enterprise_name": firm.name_zh,
            "vessel": rng.choice(VESSELS), "voyage": f"{day:%y}{rng.randrange(1, 52):02d}{rng.choice('EWNS')}",
            "berth": rng.choice(BERTHS),
            "yard_position": f"{rng.choice('ABCDEF')}-{rng.randrange(1, 20):02d}-{rng.randrange(1, 6)}"
            if kind == "yard_storage" else "",
            "un_number": goods.un, "quantity": str(qty), "unit": goods.unit,
            "started_at": _at(day, start), "ended_at": _at(day, min(start + rng.randrange(2, 6), 23), 30),
        })  # fmt: skip

    def inventory(self, firm: Any, day: date, warehouse: str, goods: Goods, qty: Decimal,
                  *, code: str | None = None, name: str | None = None) -> None:  # fmt: skip
        self.add("storage-inventories", {
            "enterprise_code": firm.uscc if code is None else code,
            "enterprise_name": firm.name_zh if name is None else name,
            "warehouse": warehouse[:100], "un_number": goods.un, "chemical_name": goods.name,
            "quantity": str(qty), "unit": goods.unit, "as_of": _at(day, 18),
        })  # fmt: skip

    def waybill(self, rng: random.Random, firm: Any, day: date, goods: Goods, qty: Decimal, carrier: str,
                *, code: str | None = None, name: str | None = None) -> dict:  # fmt: skip
        row = {
            "waybill_no": f"DZYD{day:%Y%m%d}{self.next('waybill'):06d}",
            "enterprise_code": firm.uscc if code is None else code,
            "enterprise_name": firm.name_zh if name is None else name,
            "carrier": carrier[:200], "vehicle": _plate(rng), "un_number": goods.un, "quantity": str(qty),
            "unit": goods.unit, "origin": "天津港" , "destination": rng.choice(DESTINATIONS),
            "route": rng.choice(ROUTES), "departs_on": day.isoformat(),
            "arrives_on": (day + timedelta(days=rng.choice((0, 0, 1)))).isoformat(),
        }  # fmt: skip
        self.add("dangerous-goods-waybills", row)
        return row


def _chain(b: _Builder, rng: random.Random, firm: Any, goods: Goods, day: date, carriers: list[str],
           warehouses: list[str], *, country: str, complete: bool) -> None:  # fmt: skip
    """One import with the trail it leaves; an incomplete one stops at a random link (or has not gone on yet)."""
    qty = _qty(rng, goods)
    lines: list[tuple[Any, Decimal]] = [(goods, qty)]
    if rng.random() < 0.3:
        lines.append((rng.choice(PLAIN_GOODS), Decimal(rng.randrange(1, 40))))
    b.declaration(firm, day, "import", lines, country)
    stop = 4 if complete else rng.choice((1, 2, 3))
    port_day = day + timedelta(days=rng.randrange(1, 4))
    if stop >= 2 and port_day <= b.today:
        b.port_operation(rng, firm, port_day, "unloading", goods, qty)
        if rng.random() < 0.4:
            b.port_operation(rng, firm, port_day + timedelta(days=1), "yard_storage", goods, qty)
    store_day = port_day + timedelta(days=rng.randrange(1, 4))
    if stop >= 3 and store_day <= b.today:
        b.inventory(firm, store_day, rng.choice(warehouses), goods, (qty * Decimal("0.98")).quantize(Decimal("0.1")))
    if stop >= 4:
        trips = rng.randrange(1, 4)
        for i in range(trips):
            leave = store_day + timedelta(days=1 + i * rng.randrange(2, 8))
            if leave <= b.today:
                share = (qty / trips).quantize(Decimal("0.1") if goods.unit != "pcs" else Decimal("1"))
                b.waybill(rng, firm, leave, goods, share, rng.choice(carriers))


def _account_chains(b: _Builder, rng: random.Random, firm: Any, carriers: list[str], warehouses: list[str]) -> None:
    """The three chains the demo enterprise account shows (see the module docstring)."""
    gasoline, thinner = CHEMICALS[0], CHEMICALS[1]
    batteries = BATTERIES[0]
    t = b.today
    b.declaration(firm, t - timedelta(days=40), "import",
                  [(gasoline, Decimal("60")), (PLAIN_GOODS[0], Decimal("12"))], "KR")  # fmt: skip
    b.port_operation(rng, firm, t - timedelta(days=38), "unloading", gasoline, Decimal("60"))
    b.inventory(firm, t - timedelta(days=36), warehouses[0], gasoline, Decimal("59.4"))
    for days, qty in ((33, "20"), (30, "20"), (26, "19.4")):
        b.waybill(rng, firm, t - timedelta(days=days), gasoline, Decimal(qty), carriers[0])
    b.declaration(firm, t - timedelta(days=28), "import", [(thinner, Decimal("24"))], "DE")
    b.port_operation(rng, firm, t - timedelta(days=26), "unloading", thinner, Decimal("24"))
    b.port_operation(rng, firm, t - timedelta(days=25), "yard_storage", thinner, Decimal("24"))
    b.inventory(firm, t - timedelta(days=23), warehouses[1 % len(warehouses)], thinner, Decimal("24"))
    b.waybill(rng, firm, t - timedelta(days=20), thinner, Decimal("24"), carriers[1 % len(carriers)])
    b.declaration(firm, t - timedelta(days=12), "import", [(batteries, Decimal("8000"))], "KR")
    b.port_operation(rng, firm, t - timedelta(days=10), "unloading", batteries, Decimal("8000"))
    b.inventory(firm, t - timedelta(days=9), warehouses[0], batteries, Decimal("8000"))  # not carried on yet


def _equipment(b: _Builder, rng: random.Random, firm: Any, sector: str) -> None:
    for category in EQUIPMENT_BY_SECTOR.get(sector, ("elevator",)):
        prefix, interval, names = EQUIPMENT[category]
        place = rng.choice(("1号", "2号", "3号")) + rng.choice(("罐区", "车间", "库房", "堆场"))
        last = b.today - timedelta(days=rng.randrange(20, interval - 10))
        due = last + timedelta(days=interval)
        if rng.random() < 0.06:  # overdue (特种设备安全法 第四十条)
            last = b.today - timedelta(days=interval + rng.randrange(1, 60))
            due = last + timedelta(days=interval)
        b.add("special-equipment", {
            "registration_no": f"{prefix}12津B{b.next('equipment'):05d}({last:%y})",
            "category": category, "equipment_name": rng.choice(names),
            "enterprise_code": firm.uscc, "enterprise_name": firm.name_zh,
            "location": f"{firm.address[-12:]} {place}",
            "last_inspected_on": last.isoformat(), "next_inspection_on": due.isoformat(),
        })  # fmt: skip


def _licences(b: _Builder, rng: random.Random, firm: Any, sector: str) -> None:
    from ftzsafety.demo.people import people_for

    kinds: list[tuple[str, str]] = []
    if sector == "hazchem_trading":
        kinds.append(("hazchem_operation", "汽油、甲醇、乙醇、甲苯等(不带储存设施经营)"))
    elif sector == "hazchem_storage":
        kinds.append(("hazchem_operation", "危险化学品仓储经营(不含剧毒化学品)"))
        if rng.random() < 0.5:
            kinds.append(("port_dg_operation", "港区危险货物装卸、储存(易燃液体、腐蚀性物质)"))
    elif sector in ("metal_processing", "biomedicine") and rng.random() < 0.4:
        kinds.append(("hazchem_use", "硫酸、盐酸、乙醇等危险化学品使用"))
    elif sector == "lithium_electronics" and rng.random() < 0.3:
        kinds.append(("safety_production", "锂离子电池组装生产"))
    if not kinds:
        return
    kinds.append(("principal_qualification", "危险化学品经营单位主要负责人"))
    kinds.append(("safety_manager_qualification", "危险化学品经营单位安全生产管理人员"))
    people = people_for(firm.uscc, 2)
    for kind, scope in kinds:
        start = b.today - timedelta(days=rng.randrange(60, 1100))
        until = start + timedelta(days=3 * 365 - 1)
        holder = ""
        if kind == "principal_qualification":
            holder = people[0].name
        elif kind == "safety_manager_qualification":
            holder = people[1].name
        b.add("safety-licences", {
            "licence_type": kind, "licence_no": f"津滨应急{kind[:2].upper()}[{start.year}]{b.next('licence'):05d}",
            "enterprise_code": firm.uscc, "enterprise_name": firm.name_zh, "holder_name": holder,
            "scope": scope, "valid_from": start.isoformat(), "valid_until": until.isoformat(),
        })  # fmt: skip


def _tracks(
    b: _Builder, rng: random.Random, firms_by_code: dict[str, Any], vehicles: int = 20, points: int = 60
) -> None:
    """GPS points (every 30 s) of the trucks on the most recent waybills, from the port gate towards their firm."""
    recent = sorted(b.rows["dangerous-goods-waybills"], key=lambda r: (r["departs_on"], r["waybill_no"]))[-vehicles:]
    for row in recent:
        firm = firms_by_code.get(row["enterprise_code"])
        if firm is None or firm.latitude is None:
            continue
        start = timezone.make_aware(
            datetime.combine(date.fromisoformat(row["departs_on"]), time(9, rng.randrange(0, 59)))
        )
        lon0, lat0 = PORT_GATE
        lon1, lat1 = Decimal(str(firm.longitude)), Decimal(str(firm.latitude))
        for i in range(points):
            f = Decimal(i) / (points - 1)
            b.add("transport-tracks", {
                "vehicle": row["vehicle"], "recorded_at": (start + timedelta(seconds=30 * i)).isoformat(),
                "enterprise_code": row["enterprise_code"], "enterprise_name": row["enterprise_name"],
                "latitude": str((lat0 + (lat1 - lat0) * f).quantize(Decimal("0.000001"))),
                "longitude": str((lon0 + (lon1 - lon0) * f).quantize(Decimal("0.000001"))),
                "speed_kmh": str(Decimal(rng.randrange(150, 550)) / 10),
            })  # fmt: skip


def _unresolved(b: _Builder, rng: random.Random, traders: list[Any], carriers: list[str]) -> None:
    """Rows that name an enterprise without a credit code: name variants (linked or queued for an officer) and
    enterprises the registry does not hold yet (pending registrations, never dropped)."""
    gasoline = CHEMICALS[0]
    a, c = traders[1], traders[2]
    variant = a.name_zh.replace("有限公司", "有限责任公司") if "有限公司" in a.name_zh else a.name_zh + "(天津)"
    b.waybill(rng, a, b.today - timedelta(days=5), gasoline, Decimal("18"), carriers[0], code="", name=variant)
    near = c.name_zh[:-4] + "储运有限公司" if c.name_zh.endswith("有限公司") else c.name_zh + "储运"
    b.waybill(rng, c, b.today - timedelta(days=4), gasoline, Decimal("16"), carriers[0], code="", name=near)
    unknown = ("津港联运危险品物流有限公司", "渤海湾精细化工贸易有限公司", "滨港新能源电池科技有限公司")
    b.waybill(rng, a, b.today - timedelta(days=3), CHEMICALS[2], Decimal("22"), carriers[0], code="", name=unknown[0])
    b.declaration(a, b.today - timedelta(days=6), "import", [(CHEMICALS[5], Decimal("30"))], "SG",
                  code="", name=unknown[1])  # fmt: skip
    b.inventory(a, b.today - timedelta(days=2), "保税物流园区 3号危险品库", BATTERIES[0], Decimal("1200"),
                code="", name=unknown[2])  # fmt: skip


def build_rows(plans: list[Any], firms: dict[str, Any], account_uscc: str, today: date) -> dict[str, list[dict]]:
    """All demo rows per dataset, deterministic for the same plans and day."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not a secret
    b = _Builder(today)
    sector_of = {p.uscc: p.sector for p in plans}
    ordered = [firms[p.uscc] for p in plans if p.uscc in firms]
    carriers = [f.name_zh for f in ordered if sector_of[f.uscc] == "logistics_shipping"][:12] or [
        "滨海危货运输有限公司"
    ]
    storage_firms = [f.name_zh for f in ordered if sector_of[f.uscc] == "hazchem_storage"][:10]
    warehouses = [f"{name} 甲类仓库{n}号" for name in storage_firms for n in (1, 2)] or ["港区甲类仓库1号"]
    account = firms[account_uscc]
    _account_chains(b, rng, account, carriers, warehouses)
    for firm in ordered:
        sector = sector_of[firm.uscc]
        goods = GOODS_BY_SECTOR.get(sector)
        if goods and firm.uscc != account_uscc:
            shipments = {"hazchem_trading": 6, "hazchem_storage": 3}.get(sector, 2)
            for _ in range(rng.randrange(1, shipments + 1)):
                day = today - timedelta(days=rng.randrange(3, 180))
                _chain(b, rng, firm, rng.choice(goods), day, carriers, warehouses,
                       country=rng.choice(COUNTRIES), complete=rng.random() < 0.65)  # fmt: skip
            if sector in ("lithium_electronics", "hazchem_trading") and rng.random() < 0.4:
                item = rng.choice(goods)
                day = today - timedelta(days=rng.randrange(3, 120))
                b.declaration(firm, day, "export", [(item, _qty(rng, item))], rng.choice(COUNTRIES))
                b.port_operation(rng, firm, day + timedelta(days=2), "loading", item, _qty(rng, item))
        elif sector == "cross_border_ecommerce" and rng.random() < 0.5:
            day = today - timedelta(days=rng.randrange(3, 150))
            b.declaration(firm, day, "import", [(rng.choice(PLAIN_GOODS), Decimal(rng.randrange(10, 500)))],
                          rng.choice(COUNTRIES))  # fmt: skip
        if sector == "hazchem_storage":
            for week in range(0, 8, 2):
                item = rng.choice(CHEMICALS)
                b.inventory(firm, today - timedelta(days=7 * week + 1), f"{firm.name_zh} 甲类仓库1号", item,
                            _qty(rng, item))  # fmt: skip
        _equipment(b, rng, firm, sector)
        _licences(b, rng, firm, sector)
    traders = [f for f in ordered if sector_of[f.uscc] == "hazchem_trading" and f.uscc != account_uscc]
    _unresolved(b, rng, traders, carriers)
    _tracks(b, rng, {f.uscc: f for f in ordered})
    return b.rows


def seed_exchange_data(
    *, plans: list[Any], account_uscc: str, today: date | None = None, report: Any = None
) -> dict[str, int]:
    """Import the demo department data once; returns rows created per dataset ({} when already seeded), and adds
    them to `report.created` (demo.seed.SeedReport) under the dataset slugs."""
    from ftzsafety.accounts.models import User
    from ftzsafety.enterprises.models import Enterprise
    from ftzsafety.exchange.choices import JobSource
    from ftzsafety.exchange.models import ImportJob
    from ftzsafety.exchange.services import records_import

    if ImportJob.objects.filter(is_demo=True).exists():
        return {}
    today = today or timezone.localdate()
    firms = {
        f.uscc: f
        for f in Enterprise.objects.filter(uscc__in=[p.uscc for p in plans]).only(
            "uscc", "name_zh", "address", "latitude", "longitude"
        )
    }
    if account_uscc not in firms:
        return {}
    rows = build_rows(plans, firms, account_uscc, today)
    users = {u.username: u for u in User.objects.filter(username__in=set(WRITERS.values()))}
    created: dict[str, int] = {}
    for slug, writer in WRITERS.items():
        actor = users.get(writer)
        if actor is None or not rows[slug]:
            continue
        job = records_import(
            actor=actor, dataset=slug, rows=enumerate(rows[slug], start=1), source=JobSource.FILE,
            source_name=f"{JOB_PREFIX}{slug}.jsonl", is_demo=True,
        )  # fmt: skip
        if job.rejected:
            raise ValueError(f"demo rows rejected for {slug}: {job.rejected_rows[:3]}")
        created[slug] = job.created
        if report is not None:
            report.created[slug] += job.created
    return created
