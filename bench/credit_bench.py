"""Credit grading at zone scale (issue 8): re-grade 100,000 enterprises holding 1,000,000 events with
`credit.services.credit_regrade_zone` (the code path of `ftzsafety credit_regrade`), against a single SQL
aggregation of the same events (sum of weights per enterprise, GROUP BY) measured in the same run; and the time
to record one event and re-grade its enterprise. Not a test; no thresholds.

    .venv/bin/python bench/credit_bench.py                       # a fresh SQLite database in a temporary directory
    FTZSAFETY_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/h_credit_bench .venv/bin/python bench/credit_bench.py
    options: --enterprises N --events M (defaults 100000 and 1000000)
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FTZSAFETY_VAR_DIR", tempfile.mkdtemp(prefix="ftz-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ftzsafety.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Case, Count, DecimalField, Sum, Value, When  # noqa: E402
from django.utils import timezone  # noqa: E402

# Kind mix of a zone's history (per 100 events): mostly routine positives, some negatives, rare serious ones.
MIX = (
    ("hazard_rectified_on_time", 30),
    ("filing_approved_clean", 35),
    ("inspection_passed", 10),
    ("hazard_overdue", 8),
    ("association_rating", 4),
    ("third_party_report", 4),
    ("penalty", 3),
    ("inspection_failed", 2),
    ("major_hazard_found", 1.5),
    ("certification", 1.5),
    ("false_filing", 0.5),
    ("serious_violation", 0.5),
)


def setup(n_enterprises: int, n_events: int) -> None:
    from ftzsafety.accounts.models import Organisation
    from ftzsafety.credit.models import CreditEvent
    from ftzsafety.enterprises.models import Enterprise

    rng = random.Random(8)  # noqa: S311 - reproducible bench data
    owner, _ = Organisation.objects.get_or_create(
        code="bench-zone-admin",
        defaults={"kind": "zone_administration", "name_zh": "基准测试管委会", "department_code": "zone_admin"},
    )
    start = time.perf_counter()
    batch = 10_000
    for offset in range(0, n_enterprises, batch):
        Enterprise.objects.bulk_create(
            [
                Enterprise(
                    uscc=f"91BENCH{n:011d}",
                    name_zh=f"基准测试企业{n}",
                    organisation_form="limited_liability",
                    industry_section="G",
                    owner=owner,
                )
                for n in range(offset, min(offset + batch, n_enterprises))
            ]
        )
    ids = list(Enterprise.objects.filter(uscc__startswith="91BENCH").values_list("id", flat=True))
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    today = timezone.localdate()
    certificates = ("ISO45001", "ISM", "AEO")
    table = CreditEvent._meta.db_table
    columns = (
        "enterprise_id, owner_id, classification, kind, occurred_on, source_module, source_ref, evidence_url, "
        "detail, certificate_type, valid_until, status, is_demo, created_at, updated_at"
    )
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * 15)})"  # noqa: S608 - our own table name
    now = timezone.now()
    for offset in range(0, n_events, batch):
        rows = []
        for n in range(offset, min(offset + batch, n_events)):
            kind = rng.choices(kinds, weights)[0]
            occurred = today - timedelta(days=rng.randint(0, 1500))
            cert, valid = "", None
            if kind == "certification":
                cert = rng.choice(certificates)
                valid = occurred + timedelta(days=3 * 365)
            rows.append(
                (
                    rng.choice(ids),
                    owner.pk,
                    "internal",
                    kind,
                    occurred,
                    "bench",
                    str(n),
                    "",
                    "{}",
                    cert,
                    valid,
                    "active",
                    False,
                    now,
                    now,
                )
            )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)  # raw rows: the set-up is not what is measured
        print(f"\rsetup: {offset + len(rows):,}/{n_events:,} events", end="", file=sys.stderr, flush=True)
    print(f"\nsetup took {time.perf_counter() - start:.0f} s", file=sys.stderr)


def sql_aggregation(rules: dict) -> int:
    """The baseline: one GROUP BY over the same events, summing each kind's weight (no decay, no overrides)."""
    from ftzsafety.credit.models import CreditEvent

    weight = Case(
        *[When(kind=k, then=Value(spec["weight"])) for k, spec in rules["kinds"].items() if k != "certification"],
        *[
            When(kind="certification", certificate_type=c, then=Value(w))
            for c, w in rules["certificate_weights"].items()
        ],
        default=Value(0),
        output_field=DecimalField(max_digits=9, decimal_places=2),
    )
    rows = list(CreditEvent.objects.values("enterprise_id").annotate(score=Sum(weight), n=Count("id")).order_by())
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from ftzsafety.credit.choices import EventKind
    from ftzsafety.credit.models import CreditEvent, CreditGrade
    from ftzsafety.credit.services import credit_event_record, credit_regrade_zone, grade_recompute, policy_in_force
    from ftzsafety.enterprises.models import Enterprise

    if CreditEvent.objects.filter(source_module="bench").count() != args.events:
        setup(args.enterprises, args.events)
    rules = policy_in_force().rules
    counts = f"{Enterprise.objects.count():,} enterprises, {CreditEvent.objects.count():,} events"
    print(f"database: {connection.vendor}; {counts}")

    start = time.perf_counter()
    groups = sql_aggregation(rules)
    baseline = time.perf_counter() - start
    print(f"single SQL aggregation (GROUP BY, {groups:,} groups): {baseline:.2f} s")

    CreditGrade.objects.all().delete()
    start = time.perf_counter()
    first = credit_regrade_zone(actor=None)
    cold = time.perf_counter() - start
    print(
        f"re-grade zone, first run ({first.enterprises:,} grades): {cold:.2f} s = {cold / baseline:.1f} × aggregation"
    )
    start = time.perf_counter()
    second = credit_regrade_zone(actor=None)
    warm = time.perf_counter() - start
    print(
        f"re-grade zone again (upsert, {second.changed:,} changed): {warm:.2f} s = {warm / baseline:.1f} × "
        f"aggregation; grades {second.by_grade}"
    )

    sample = list(Enterprise.objects.filter(uscc__startswith="91BENCH").order_by("?")[:50])
    event_times, regrade_times = [], []
    for n, enterprise in enumerate(sample):
        start = time.perf_counter()
        with transaction.atomic():
            credit_event_record(
                actor=None,
                enterprise=enterprise,
                kind=EventKind.HAZARD_OVERDUE,
                occurred_on=timezone.localdate(),
                source_module="bench-single",
                source_ref=f"{time.time_ns()}-{n}",
            )
        event_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        with transaction.atomic():
            grade_recompute(actor=None, enterprise=enterprise, reason="bench")
        regrade_times.append(time.perf_counter() - start)
    per_event = statistics.median(event_times)
    per_regrade = statistics.median(regrade_times)
    print(f"record one event + re-grade its enterprise (audited, one transaction): {per_event * 1000:.1f} ms median")
    print(f"re-grade one enterprise alone: median {per_regrade * 1000:.1f} ms")
    print(f"zone re-grade per enterprise: {warm / second.enterprises * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
