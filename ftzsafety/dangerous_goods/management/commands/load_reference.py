"""`ftzsafety load_reference [--force] [--only CODE …]`: (re)load the dangerous-goods lists shipped in
dangerous_goods/data/. Only lists whose files changed are loaded unless --force; the result is audited."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ftzsafety.dangerous_goods.loading import manifest
from ftzsafety.dangerous_goods.services import reference_data_load


class Command(BaseCommand):
    help = "Load the dangerous-goods reference lists (UN list, GB 18218-2018 tables, IMDG segregation) idempotently."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="reload even when the files have not changed")
        parser.add_argument(
            "--only", nargs="+", metavar="CODE", help="datasets to load: " + ", ".join(d["code"] for d in manifest())
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = reference_data_load(actor=None, force=options["force"], only=options["only"])
        except ValueError as problem:
            raise CommandError(str(problem)) from problem
        for result in results:
            state = f"loaded, {result.row_count} rows" if result.loaded else "unchanged"
            self.stdout.write(f"{result.code:18} {result.edition:60} {state}")
