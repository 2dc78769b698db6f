"""`ftzsafety search_reindex`: rebuild every enterprise's search words and the database's full-text index."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from ftzsafety.enterprises import search


class Command(BaseCommand):
    help = "Rebuild the enterprise search index (jieba words of names and business scope; FTS5 or PostgreSQL GIN)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if options["quiet"]:
                return
            width = 30
            filled = int(width * done / total) if total else width
            self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
            self.stderr.flush()

        count = search.reindex(progress=progress)
        if not options["quiet"] and count:
            self.stderr.write("")
        seconds = time.perf_counter() - start
        self.stdout.write(
            f"indexed {count} enterprises in {seconds:.1f} s (dictionary load {search.init_seconds or 0:.2f} s)"
        )
