"""Nearest-officer dispatch (issue 7 item 6): the indexed bounding-box query against a brute-force scan of every
available officer, among 10,000 officers, in the same run on the same database. Also checks that both give the
same officers for every query (the bench stops if they ever differ). Not a test; no thresholds.

    .venv/bin/python bench/officer_dispatch_bench.py            # a fresh SQLite database in a temporary directory
    FTZSAFETY_DATABASE_URL=postgresql://… .venv/bin/python bench/officer_dispatch_bench.py

The officers are spread over a province-sized region (about 300 × 300 km around the demo zone) in one department,
80 % available, with random open workloads; queries are random points in the same region.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FTZSAFETY_VAR_DIR", tempfile.mkdtemp(prefix="ftz-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ftzsafety.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

OFFICERS = 10_000
QUERIES = 200
CENTRE = (38.97, 117.75)
SPREAD = 1.4  # degrees either way


def timed(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    call_command("migrate", verbosity=0)
    from django.db import connection
    from django.utils import timezone

    from ftzsafety.accounts.models import Organisation, User
    from ftzsafety.enforcement import selectors
    from ftzsafety.enforcement.models import OfficerLocation

    rng = random.Random(7)  # noqa: S311 - reproducible bench data
    department, _created = Organisation.objects.get_or_create(
        code="bench-market", defaults={"kind": "department", "department_code": "market", "name_zh": "市场监管(基准)"}
    )
    if not OfficerLocation.objects.filter(department=department).exists():
        users = User.objects.bulk_create(
            User(username=f"bench-officer-{i:05d}", organisation=department) for i in range(OFFICERS)
        )
        now = timezone.now()
        OfficerLocation.objects.bulk_create(
            (
                OfficerLocation(
                    officer=u,
                    department=department,
                    latitude=CENTRE[0] + rng.uniform(-SPREAD, SPREAD),
                    longitude=CENTRE[1] + rng.uniform(-SPREAD, SPREAD),
                    available=rng.random() < 0.8,
                    reported_at=now,
                )
                for u in users
            ),
            batch_size=2000,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE enforcement_officerlocation")
    loads = {pk: rng.randrange(0, 4) for pk in OfficerLocation.objects.values_list("officer_id", flat=True)}

    def workload(ids: list[int]) -> dict[int, int]:
        return {i: loads[i] for i in ids}

    points = [
        (CENTRE[0] + rng.uniform(-SPREAD, SPREAD), CENTRE[1] + rng.uniform(-SPREAD, SPREAD)) for _ in range(QUERIES)
    ]
    for lat, lon in points:  # the two methods agree on every query
        args = {"department_id": department.pk, "latitude": lat, "longitude": lon, "workload": workload, "limit": 3}
        fast = [c.officer_id for c in selectors.nearest_available_officers(**args)]
        slow = [c.officer_id for c in selectors.nearest_available_officers_brute_force(**args)]
        if fast != slow:
            raise SystemExit(f"MISMATCH at {lat},{lon}: {fast} != {slow}")

    it = iter(points * 10)

    def one(method: Callable) -> Callable[[], object]:
        def run() -> object:
            lat, lon = next(it)
            return method(department_id=department.pk, latitude=lat, longitude=lon, workload=workload)

        return run

    baseline = timed(lambda: OfficerLocation.objects.filter(officer_id=next(iter(loads))).exists(), 50)
    brute = timed(one(selectors.nearest_available_officers_brute_force), 20)
    fast = timed(one(selectors.nearest_available_officers), 100)
    available = OfficerLocation.objects.filter(department=department, available=True).count()
    print(f"database: {connection.vendor}; officers: {OfficerLocation.objects.count()}, available: {available}")
    print(f"equal results on {QUERIES} random queries (top 3 each): yes")
    print(f"baseline (indexed exists()):          {baseline * 1e6:8.0f} µs")
    print(f"nearest, bounding box + index:        {fast * 1e3:8.2f} ms  {fast / baseline:8.1f} × baseline")
    print(f"nearest, brute-force scan:            {brute * 1e3:8.2f} ms  {brute / baseline:8.1f} × baseline")
    print(f"brute force / bounding box:           {brute / fast:8.1f} ×")


if __name__ == "__main__":
    main()
