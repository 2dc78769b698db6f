"""Data hub at zone scale (issue 4, item 8): 100,000 enterprises and 2,000,000 department rows, then

1. ingestion through the project's import path (`exchange.services.records_import`: validation, entity resolution,
   natural-key upsert, batch transactions) against a plain `executemany` of the same rows into the same table of the
   same database in the same run (target: at least half the plain rate);
2. `GET /api/v1/enterprises/{uscc}/profile` p50/p99 through Django's test Client in one process (target p99 < 100 ms
   on SQLite);
3. `GET /api/v1/enterprises?q=` search p50/p99 (target p99 < 50 ms).

Not a test; no thresholds. The data is generated (seeded random, labelled demo) through bulk paths; never run it
against var/ftzsafety.sqlite3:

    .venv/bin/python bench/data_hub_bench.py                       # a fresh SQLite database in a temporary directory
    dropdb -h 127.0.0.1 -U postgres --if-exists bench_hub && createdb -h 127.0.0.1 -U postgres bench_hub
    FTZSAFETY_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_hub .venv/bin/python bench/data_hub_bench.py

`--enterprises N --rows N` scale it down for a quick look; `--reuse --ingestion-only --rounds 5` measures the
ingestion again on a generated database, five times (after each round the rows are deleted and the database
settled, so that no round pays for the previous one's deletion), with the median ratio.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FTZSAFETY_VAR_DIR", tempfile.mkdtemp(prefix="ftz-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ftzsafety.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

RNG = random.Random(20261129)  # noqa: S311 - reproducible generated data, not secrets
UN_NUMBERS = [  # real UN numbers of goods the zone handles (GB 12268 / UN Model Regulations)
    "UN1203", "UN1202", "UN1075", "UN1077", "UN1230", "UN1114", "UN1005", "UN1017", "UN1789", "UN1830",
    "UN1170", "UN1263", "UN1993", "UN3480", "UN3481", "UN1090", "UN1219", "UN2014", "UN1823", "UN1978",
]  # fmt: skip
GOODS = {"UN1203": "车用汽油", "UN1202": "柴油", "UN1075": "液化石油气", "UN1077": "丙烯", "UN1230": "甲醇",
         "UN1114": "苯", "UN1005": "液氨", "UN1017": "氯", "UN1789": "盐酸", "UN1830": "硫酸", "UN1170": "乙醇",
         "UN1263": "油漆", "UN1993": "易燃液体", "UN3480": "锂离子电池组", "UN3481": "含锂离子电池的设备",
         "UN1090": "丙酮", "UN1219": "异丙醇", "UN2014": "过氧化氢水溶液", "UN1823": "氢氧化钠",
         "UN1978": "丙烷"}  # fmt: skip
PLACES = [
    "滨海",
    "津港",
    "海河",
    "临港",
    "保税",
    "东疆",
    "南港",
    "北塘",
    "大港",
    "汉沽",
    "塘沽",
    "泰达",
    "中新",
    "海泰",
]
WORDS = ["能源", "化工", "石化", "物流", "储运", "国际", "新材料", "科技", "贸易", "供应链", "港务", "精细化工",
         "危货运输", "仓储", "电池", "气体", "油品", "冷链", "跨境电商", "装备"]  # fmt: skip
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]
EN_PLACES = ["Binhai", "Jingang", "Haihe", "Lingang", "Bonded", "Dongjiang", "Nangang", "Beitang", "Dagang",
             "Hangu", "Tanggu", "TEDA", "Zhongxin", "Haitai"]  # fmt: skip
EN_WORDS = ["Energy", "Chemical", "Petrochemical", "Logistics", "Storage", "International", "New Materials",
            "Technology", "Trading", "Supply Chain", "Port", "Fine Chemicals", "DG Transport", "Warehousing",
            "Battery", "Gases", "Oil", "Cold Chain", "Cross-border Commerce", "Equipment"]  # fmt: skip
SCOPES = ["危险化学品经营（不含剧毒化学品）", "液化石油气储存、装卸", "普通货物仓储", "国际货运代理", "集装箱堆存",
          "锂离子电池、锂电池材料的研发和生产", "跨境电子商务", "成品油批发", "化工原料销售", "道路危险货物运输",
          "港口货物装卸", "冷链物流", "特种设备安装维修", "货物进出口", "新能源技术开发"]  # fmt: skip
PORTS = ["天津新港", "东疆港区", "南疆港区", "大港港区", "北疆港区"]
COUNTRIES = ["KR", "JP", "SG", "DE", "US", "SA", "AE", "AU", "MY", "NL"]
SECTIONS = ["C", "F", "G", "G", "F", "C", "M"]
START = date(2025, 1, 1)
DAYS = 697  # to 2026-11-28


def _progress(label: str, done: int, total: int) -> None:
    sys.stderr.write(f"\r  {label}: {done:,}/{total:,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _uscc(seen: set[str]) -> str:
    from ftzsafety.core.codes import USCC_ALPHABET, uscc_make

    alphabet = [c for c in USCC_ALPHABET if c.isdigit() or c in "ABCDEFGHJKLMNPQRTUWXY"]
    while True:
        body = "MA" + "".join(RNG.choice(alphabet) for _ in range(6))
        try:
            code = uscc_make(authority="9", org_type="1", division=RNG.choice(["120116", "120118", "120101"]),
                             org_code_body=body)  # fmt: skip
        except ValueError:
            continue
        if code not in seen:
            seen.add(code)
            return code


def setup_people() -> dict:
    """Departments and one officer each (roles from accounts.roles), as the demo seed makes them."""
    from django.contrib.auth.models import Group

    from ftzsafety.accounts.choices import DepartmentCode, OrganisationKind
    from ftzsafety.accounts.models import Organisation, User

    orgs = {}
    for code in ["zone_admin", "customs", "transport", "maritime", "emergency"]:
        kind = OrganisationKind.ZONE_ADMINISTRATION if code == "zone_admin" else OrganisationKind.DEPARTMENT
        orgs[code], _ = Organisation.objects.get_or_create(
            code=f"dept-{code}",
            defaults={"kind": kind, "department_code": code, "name_zh": str(DepartmentCode(code).label),
                      "name_en": code, "is_demo": True},
        )  # fmt: skip
    people = {}
    for code, role in [("customs", "officer"), ("transport", "officer"), ("maritime", "officer"),
                       ("emergency", "officer"), ("zone_admin", "commander")]:  # fmt: skip
        user, _ = User.objects.get_or_create(
            username=f"bench_{code}", defaults={"organisation": orgs[code], "full_name": f"bench {code}"}
        )
        user.groups.set([Group.objects.get(name=role)])
        people[code] = user
    return {"orgs": orgs, "people": people}


def make_enterprises(n: int, owner) -> list[tuple[int, str, str]]:
    """n enterprises by bulk_create, then the search index by the rebuild (`search.reindex`)."""
    from ftzsafety.enterprises import search
    from ftzsafety.enterprises.models import Enterprise

    seen: set[str] = set()
    batch: list = []
    for i in range(n):
        p, w1, w2, f = (
            RNG.randrange(len(PLACES)),
            RNG.randrange(len(WORDS)),
            RNG.randrange(len(WORDS)),
            RNG.choice(FORMS),
        )
        name_zh = f"{PLACES[p]}{WORDS[w1]}{WORDS[w2] if w2 != w1 else ''}{i:05d}{f}"
        name_en = f"{EN_PLACES[p]} {EN_WORDS[w1]} {i:05d} Co., Ltd."
        scope = "；".join(RNG.sample(SCOPES, RNG.randint(1, 3)))
        batch.append(
            Enterprise(uscc=_uscc(seen), name_zh=name_zh, name_en=name_en, organisation_form="limited_liability",
                       industry_section=RNG.choice(SECTIONS), business_scope=scope, owner=owner, is_demo=True,
                       classification="public")
        )  # fmt: skip
        if len(batch) == 5000 or i == n - 1:
            Enterprise.objects.bulk_create(batch)
            batch = []
            _progress("enterprises", i + 1, n)
    start = time.perf_counter()
    count = search.reindex(progress=lambda done, total: _progress("search index", done, total))
    seconds = time.perf_counter() - start
    print(f"search index: {count:,} documents in {seconds:.1f} s ({count / seconds:,.0f}/s); "
          f"jieba dictionary load {search.init_seconds:.2f} s")  # fmt: skip
    return list(Enterprise.objects.order_by("pk").values_list("pk", "uscc", "name_zh"))


def _skewed(enterprises: list, heavy: int = 0) -> tuple[int, str, str]:
    """Most rows belong to few enterprises (a big terminal operator files thousands of waybills)."""
    return enterprises[int(len(enterprises) * RNG.random() ** 2)]


def _day() -> date:
    return START + timedelta(days=RNG.randrange(DAYS))


def make_department_rows(total: int, enterprises: list, orgs: dict) -> dict[str, int]:
    """`total` rows over five datasets by bulk_create in 50,000-row transactions: declarations and their goods
    lines (1 : 2), waybills, port operations and storage inventories."""
    from ftzsafety.exchange import models as m

    now = timezone.now()
    shares = {"declarations": 0.125, "goods lines": 0.25, "waybills": 0.3, "port operations": 0.125, "storage": 0.2}
    counts = {k: int(total * v) for k, v in shares.items()}
    counts["storage"] += total - sum(counts.values())

    def common(ent: tuple, org: str) -> dict:
        pk, uscc, name = ent
        return {"enterprise_id": pk, "enterprise_code": uscc, "enterprise_name": name, "resolution": "linked",
                "owner": orgs[org], "classification": "internal", "created_at": now, "updated_at": now}  # fmt: skip

    def chunks(n: int, size: int = 50_000) -> Iterator[range]:
        for start in range(0, n, size):
            yield range(start, min(n, start + size))

    for part in chunks(counts["declarations"]):
        decls, lines = [], []
        for i in part:
            ent = _skewed(enterprises)
            decl = m.CustomsDeclaration(
                declaration_no=f"0202{i:014d}", declared_on=_day(),
                direction="import" if RNG.random() < 0.7 else "export", port=RNG.choice(PORTS),
                country=RNG.choice(COUNTRIES), **common(ent, "customs"),
            )  # fmt: skip
            decls.append(decl)
        with transaction.atomic():
            m.CustomsDeclaration.objects.bulk_create(decls, batch_size=5000)
            for decl in decls:
                for line_no in (1, 2):
                    un = RNG.choice(UN_NUMBERS) if RNG.random() < 0.5 else ""
                    lines.append(m.CustomsGoodsLine(
                        declaration=decl, line_no=line_no, hs_code="27101210" if un else "39011000",
                        goods_name=GOODS.get(un, "聚乙烯"), un_number=un,
                        quantity=Decimal(RNG.randint(1, 500)), unit="t",
                    ))  # fmt: skip
            m.CustomsGoodsLine.objects.bulk_create(lines, batch_size=5000)
        _progress("declarations + goods lines", part.stop, counts["declarations"])
    for part in chunks(counts["waybills"]):
        rows = []
        for i in part:
            day = _day()
            un = RNG.choice(UN_NUMBERS)
            rows.append(m.DangerousGoodsWaybill(
                waybill_no=f"WB{i:012d}", carrier="滨海危货运输有限公司", vehicle=f"津A{RNG.randint(10000, 99999)}",
                un_number=un, quantity=Decimal(RNG.randint(1, 30)), unit="t", origin=RNG.choice(PORTS),
                destination="滨海化工园区", route="港城大道—津晋高速", departs_on=day,
                arrives_on=day + timedelta(days=1), **common(_skewed(enterprises), "transport"),
            ))  # fmt: skip
        with transaction.atomic():
            m.DangerousGoodsWaybill.objects.bulk_create(rows, batch_size=5000)
        _progress("waybills", part.stop, counts["waybills"])
    for part in chunks(counts["port operations"]):
        rows = []
        for i in part:
            started = datetime.combine(_day(), datetime.min.time(), tzinfo=timezone.get_current_timezone())
            rows.append(m.PortOperation(
                operation_no=f"PO{i:012d}", kind=RNG.choice(["loading", "unloading", "yard_storage"]),
                vessel="海洋之星", voyage="2611E", berth="南疆港区 3#", yard_position="D-07-3",
                un_number=RNG.choice(UN_NUMBERS), quantity=Decimal(RNG.randint(1, 300)), unit="t",
                started_at=started + timedelta(hours=8), ended_at=started + timedelta(hours=14),
                **common(_skewed(enterprises), "maritime"),
            ))  # fmt: skip
        with transaction.atomic():
            m.PortOperation.objects.bulk_create(rows, batch_size=5000)
        _progress("port operations", part.stop, counts["port operations"])
    for part in chunks(counts["storage"]):
        rows = []
        for i in part:
            at = datetime.combine(START, datetime.min.time(), tzinfo=timezone.get_current_timezone())
            rows.append(m.StorageInventory(
                warehouse=f"甲类仓库{i % 7}", un_number=RNG.choice(UN_NUMBERS), chemical_name="",
                quantity=Decimal(RNG.randint(1, 300)), unit="t", as_of=at + timedelta(minutes=i),
                **common(_skewed(enterprises), "emergency"),
            ))  # fmt: skip
        with transaction.atomic():
            m.StorageInventory.objects.bulk_create(rows, batch_size=5000)
        _progress("storage inventories", part.stop, counts["storage"])
    return counts


# --- 1. ingestion ------------------------------------------------------------------------------------------------


def waybill_rows(n: int, enterprises: list) -> list[dict]:
    """Rows as a department system sends them (strings, like a CSV or the JSON API)."""
    rows = []
    for i in range(n):
        _pk, uscc, name = _skewed(enterprises)
        day = _day()
        rows.append({
            "waybill_no": f"WBI{i:011d}", "enterprise_code": uscc, "enterprise_name": name,
            "carrier": "滨海危货运输有限公司", "vehicle": f"津B{RNG.randint(10000, 99999)}",
            "un_number": RNG.choice(UN_NUMBERS)[2:], "quantity": f"{RNG.randint(1, 300) / 10}", "unit": "t",
            "origin": "天津港", "destination": "滨海化工园区", "route": "港城大道—津晋高速",
            "departs_on": day.isoformat(), "arrives_on": (day + timedelta(days=1)).isoformat(),
        })  # fmt: skip
    return rows


def plain_executemany(rows: list[dict], enterprises_by_code: dict, owner_id: int) -> float:
    """The same rows, already typed and linked, in one executemany per 1,000 rows into the same table."""
    from ftzsafety.exchange.models import DangerousGoodsWaybill

    table = DangerousGoodsWaybill._meta.db_table
    now = timezone.now()
    columns = ["waybill_no", "enterprise_id", "enterprise_code", "enterprise_name", "name_key", "resolution",
               "carrier", "vehicle", "un_number", "quantity", "unit", "origin", "destination", "route",
               "departs_on", "arrives_on", "owner_id", "classification", "created_at", "updated_at",
               "is_demo"]  # fmt: skip
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for at in range(0, len(rows), 1000):
            cursor.executemany(
                sql,
                [
                    (r["waybill_no"], enterprises_by_code[r["enterprise_code"]], r["enterprise_code"],
                     r["enterprise_name"], "", "linked", r["carrier"], r["vehicle"], "UN" + r["un_number"],
                     Decimal(r["quantity"]), r["unit"], r["origin"], r["destination"], r["route"],
                     date.fromisoformat(r["departs_on"]), date.fromisoformat(r["arrives_on"]), owner_id,
                     "internal", now, now, False)
                    for r in rows[at : at + 1000]
                ],
            )  # fmt: skip
    seconds = time.perf_counter() - start
    remove_ingested()
    return seconds


def remove_ingested() -> None:
    """Delete the ingestion rows and jobs, then settle the database (SQLite: write the WAL back; PostgreSQL: vacuum
    the table), so that the next measurement does not pay for this deletion."""
    from ftzsafety.exchange.models import DangerousGoodsWaybill, ImportJob

    with transaction.atomic():
        DangerousGoodsWaybill.objects.filter(waybill_no__startswith="WBI").delete()
        ImportJob.objects.filter(dataset="dangerous-goods-waybills").delete()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {DangerousGoodsWaybill._meta.db_table}")


def bench_ingestion(n: int, enterprises: list, people: dict, orgs: dict) -> dict:
    from ftzsafety.exchange import services
    from ftzsafety.exchange.resolution import Resolver

    rows = waybill_rows(n, enterprises)
    by_code = {uscc: pk for pk, uscc, _name in enterprises}
    plain = plain_executemany(rows, by_code, orgs["transport"].pk)
    start = time.perf_counter()
    Resolver(people["transport"])
    resolver_seconds = time.perf_counter() - start
    start = time.perf_counter()
    job = services.records_import(
        actor=people["transport"], dataset="dangerous-goods-waybills", rows=enumerate(rows, start=1),
        progress=lambda done: _progress("records_import", done, n),
    )  # fmt: skip
    seconds = time.perf_counter() - start
    check(job.created == n and job.rejected == 0, (job.created, job.rejected, job.rejected_rows[:3]))
    start = time.perf_counter()
    again = services.records_import(
        actor=people["transport"], dataset="dangerous-goods-waybills", rows=enumerate(rows, start=1)
    )
    again_seconds = time.perf_counter() - start
    check(again.created == 0 and again.unchanged == n, (again.created, again.unchanged))
    return {
        "rows": n,
        "plain_rate": n / plain,
        "import_rate": n / seconds,
        "ratio": plain / seconds,
        "resolver_seconds": resolver_seconds,
        "reimport_rate": n / again_seconds,
    }


# --- 2. and 3. API latencies ---------------------------------------------------------------------------------------


def check(condition: bool, detail: object) -> None:
    if not condition:
        raise SystemExit(f"unexpected: {detail}")


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]
    return statistics.median(ordered) * 1000, p99 * 1000, ordered[-1] * 1000


def timed_get(client: Client, url: str, params: dict | None = None) -> float:
    start = time.perf_counter()
    response = client.get(url, params or {})
    seconds = time.perf_counter() - start
    check(response.status_code == 200, (url, response.status_code, response.content[:300]))
    return seconds


def bench_profile(client: Client, enterprises: list, samples: int) -> dict:
    from ftzsafety.exchange.models import DangerousGoodsWaybill

    heaviest = list(
        DangerousGoodsWaybill.objects.values("enterprise__uscc").annotate(n=Count("id"))
        .order_by("-n").values_list("enterprise__uscc", "n")[:5]
    )  # fmt: skip
    pick = [RNG.choice(enterprises)[1] for _ in range(samples)] + [code for code, _n in heaviest]
    timed_get(client, f"/api/v1/enterprises/{pick[0]}/profile")  # warm: imports, first queries
    times = [timed_get(client, f"/api/v1/enterprises/{uscc}/profile") for uscc in pick]
    settings.DEBUG = True
    reset_queries()
    client.get(f"/api/v1/enterprises/{heaviest[0][0]}/profile")
    queries = len(connection.queries)
    settings.DEBUG = False
    heavy_times = [timed_get(client, f"/api/v1/enterprises/{code}/profile") for code, _n in heaviest for _ in range(5)]
    return {"all": percentiles(times), "heaviest": percentiles(heavy_times), "heaviest_waybills": heaviest[0][1],
            "queries": queries, "samples": len(times)}  # fmt: skip


def bench_search(client: Client, enterprises: list, repeat: int) -> dict:
    code = enterprises[len(enterprises) // 2][1]
    name = enterprises[len(enterprises) // 3][2]
    queries = ["液化气", "危化品 仓储", "锂电", "滨海物流", "石化贸易", "LPG", "Binhai logistics", "津港化工",
               "冷链", "跨境电商", code[:6], code[:10], code.lower(), name, "有限公司"]  # fmt: skip
    timed_get(client, "/api/v1/enterprises", {"q": "warm"})
    per_query, everything = {}, []
    for q in queries:
        times = [timed_get(client, "/api/v1/enterprises", {"q": q}) for _ in range(repeat)]
        count = client.get("/api/v1/enterprises", {"q": q, "limit": 1}).json()["count"]
        per_query[q] = (*percentiles(times), count)
        everything += times
    return {"all": percentiles(everything), "per_query": per_query}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--ingest", type=int, default=20_000)
    parser.add_argument("--profile-samples", type=int, default=300)
    parser.add_argument("--search-repeat", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="Measure again on a database an earlier run generated.")
    parser.add_argument("--ingestion-only", action="store_true", help="Measure the ingestion (1.) only.")
    parser.add_argument("--rounds", type=int, default=1, help="Measure the ingestion this many times (median).")
    args = parser.parse_args()

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3") and Path(db["NAME"]).resolve().parent == Path("var").resolve():
        sys.exit("refusing to write the bench data into var/: set FTZSAFETY_VAR_DIR or FTZSAFETY_DATABASE_URL")
    print(f"database: {connection.vendor} {db['NAME']}; {os.cpu_count()} cores; python {sys.version.split()[0]}")
    call_command("migrate", verbosity=0)
    from ftzsafety.enterprises.models import Enterprise

    made = setup_people()
    if Enterprise.objects.exists():
        if not args.reuse:
            sys.exit("the database is not empty: give the bench a fresh one (or --reuse a bench database)")
        enterprises = list(Enterprise.objects.order_by("pk").values_list("pk", "uscc", "name_zh"))
        remove_ingested()  # the previous run's ingestion rows
        print(f"reusing {len(enterprises):,} enterprises and their department rows")
    else:
        start = time.perf_counter()
        enterprises = make_enterprises(args.enterprises, made["orgs"]["zone_admin"])
        print(f"generated {len(enterprises):,} enterprises in {time.perf_counter() - start:.0f} s")
        start = time.perf_counter()
        counts = make_department_rows(args.rows, enterprises, made["orgs"])
        seconds = time.perf_counter() - start
        print(f"generated {sum(counts.values()):,} department rows in {seconds:.0f} s "
              f"({sum(counts.values()) / seconds:,.0f} rows/s, bulk_create): {counts}")  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    ratios = []
    for round_no in range(args.rounds):
        if round_no:
            remove_ingested()
        ingestion = bench_ingestion(args.ingest, enterprises, made["people"], made["orgs"])
        ratios.append(ingestion["ratio"])
        print(f"\ningestion of {ingestion['rows']:,} waybills (round {round_no + 1}, load average "
              f"{os.getloadavg()[0]:.1f}):")  # fmt: skip
        print(f"  plain executemany        {ingestion['plain_rate']:10,.0f} rows/s")
        print(f"  records_import           {ingestion['import_rate']:10,.0f} rows/s  = {ingestion['ratio']:.2f} × "
              f"plain (target ≥ 0.5)")  # fmt: skip
        print(f"  Resolver() setup          {ingestion['resolver_seconds']:.3f} s per import")
        print(f"  re-import (all unchanged) {ingestion['reimport_rate']:10,.0f} rows/s")
    if args.rounds > 1:
        print(f"ingestion ratio over {args.rounds} rounds: median {statistics.median(ratios):.2f} × plain "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f})")  # fmt: skip
    if args.ingestion_only:
        return

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(made["people"]["zone_admin"])
    profile = bench_profile(client, enterprises, args.profile_samples)
    p50, p99, top = profile["all"]
    print(f"\nprofile API, {profile['samples']} enterprises: p50 {p50:.1f} ms  p99 {p99:.1f} ms  max {top:.1f} ms "
          f"(target p99 < 100 ms on SQLite)")  # fmt: skip
    p50, p99, top = profile["heaviest"]
    print(f"  the 5 busiest enterprises (top: {profile['heaviest_waybills']:,} waybills): p50 {p50:.1f} ms  "
          f"p99 {p99:.1f} ms; {profile['queries']} queries")  # fmt: skip

    search = bench_search(client, enterprises, args.search_repeat)
    p50, p99, top = search["all"]
    print(f"\nsearch API (first page of 50 + count): p50 {p50:.1f} ms  p99 {p99:.1f} ms  max {top:.1f} ms "
          f"(target p99 < 50 ms)")  # fmt: skip
    for q, (q50, q99, _max, count) in search["per_query"].items():
        print(f"  {q!s:32} {count:7,} hits  p50 {q50:6.1f} ms  p99 {q99:6.1f} ms")


if __name__ == "__main__":
    main()
