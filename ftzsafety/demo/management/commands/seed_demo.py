"""`ftzsafety seed_demo`: fill an empty database with the fictional demo zone."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ftzsafety.demo.logins import logins_text, report_text
from ftzsafety.demo.seed import DemoRefused, seed_demo


class Command(BaseCommand):
    help = (
        "Seed the demo zone (滨海自贸试验区（演示）): areas, departments, one demo user per role and about 300 "
        "enterprises, all marked as demo data. Deterministic; refuses a database that already has organisations."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even though organisations exist: add the missing demo rows and leave existing ones untouched.",
        )

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        started = time.monotonic()
        try:
            report = seed_demo(force=force)
        except DemoRefused:
            raise CommandError(
                "The database already has organisations; seed_demo only fills an empty database. "
                "Use --force to add the demo rows that are missing (existing rows are left as they are)."
            ) from None
        if options["verbosity"] >= 1:
            self.stdout.write(report_text(report, time.monotonic() - started))
            self.stdout.write("")
            self.stdout.write(logins_text())
