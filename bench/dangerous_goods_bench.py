"""Dangerous goods: cost of a lookup, a search, a segregation check and a GB 18218 assessment, as ratios to a
baseline measured in the same run (one indexed `exists()` query). Not a test; no thresholds.

    .venv/bin/python bench/dangerous_goods_bench.py            # a fresh SQLite database in a temporary directory
    FTZSAFETY_DATABASE_URL=postgresql://… .venv/bin/python bench/dangerous_goods_bench.py
"""

import os
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


def timed(fn: Callable[[], object], repeat: int = 30) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    call_command("migrate", verbosity=0)
    from ftzsafety.accounts.models import User
    from ftzsafety.dangerous_goods import selectors, services
    from ftzsafety.dangerous_goods.models import DangerousGood

    actor = User(username="bench", is_superuser=True)  # reference reads need a signed-in person, nothing more
    numbers = list(DangerousGood.objects.order_by("un_number").values_list("un_number", flat=True)[:20])
    items = [{"ref": n, "un_number": n} for n in numbers]
    lines = [{"substance": s, "quantity_t": 1} for s in ["氯", "氨", "甲醇", "苯", "汽油"] * 10]

    baseline = timed(lambda: DangerousGood.objects.filter(un_number="UN1017").exists())
    cases = {
        "lookup UN1017 (detail)": lambda: selectors.dangerous_good_detail(actor=actor, un_number="1017"),
        "search 氯 (first 25)": lambda: list(selectors.dangerous_good_search(actor=actor, q="氯")[:25]),
        "search chlorine (first 25)": lambda: list(selectors.dangerous_good_search(actor=actor, q="chlorine")[:25]),
        "segregation, 20 items (190 pairs)": lambda: services.segregation_check(items=items),
        "GB 18218 assessment, 50 lines": lambda: services.major_hazard_assess(inventories=lines, exposed_population=60),
    }
    print(f"baseline (indexed exists()): {baseline * 1e6:.0f} µs")
    for name, fn in cases.items():
        print(f"{name:38} {timed(fn) / baseline:8.1f} × baseline")


if __name__ == "__main__":
    main()
