"""`ftzsafety credit_regrade [--as-of DATE] [--quiet]`: re-grade every enterprise of the zone (set-based)."""

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ftzsafety.credit.services import credit_regrade_zone


class Command(BaseCommand):
    help = "Re-grade every enterprise under the credit policy in force (run nightly: decay changes scores daily)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", default="", help="Grading date YYYY-MM-DD (default today).")
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError("--as-of: expected a date as YYYY-MM-DD") from None
        start = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if options["quiet"]:
                return
            width = 30
            filled = int(width * done / total) if total else width
            self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            self.stderr.flush()

        report = credit_regrade_zone(actor=None, as_of=as_of, progress=progress)
        if not options["quiet"] and report.enterprises:
            self.stderr.write("")
        grades = ", ".join(f"{g} {report.by_grade.get(g, 0)}" for g in "ABCD")
        self.stdout.write(
            f"re-graded {report.enterprises} enterprises from {report.events} events under policy "
            f"v{report.policy_version} in {time.perf_counter() - start:.1f} s: {grades}; {report.changed} changed"
        )
