"""`ftzsafety import_records DATASET FILE [--dry-run] [--user NAME]`: ingest a CSV, JSONL or XLSX file."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ftzsafety.core.errors import DomainError
from ftzsafety.exchange import services
from ftzsafety.exchange.choices import JobSource
from ftzsafety.exchange.datasets import DATASETS, dataset_spec
from ftzsafety.exchange.file_formats import FileRefused, read_rows


class Command(BaseCommand):
    help = "Import department records from a CSV, JSONL or XLSX file (validated, idempotent, batch by batch)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", choices=sorted(DATASETS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count; write no rows.")
        parser.add_argument("--user", default="", help="The officer the import is recorded against.")
        parser.add_argument("--batch-size", type=int, default=services.BATCH_SIZE)

    def handle(self, *args: Any, **options: Any) -> None:
        from ftzsafety.accounts.models import User

        spec = dataset_spec(options["dataset"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {options['user']!r}")
        elif not options["dry_run"]:
            raise CommandError("--user NAME is required to import (use --dry-run to only validate)")
        try:
            rows = read_rows(spec, path)
        except FileRefused as problem:
            raise CommandError(str(problem)) from None
        total = len(rows)

        def progress(done: int) -> None:
            width = 30
            filled = int(width * done / total) if total else width
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            sys.stderr.flush()

        try:
            job = services.records_import(
                actor=actor,
                dataset=spec.slug,
                rows=rows,
                source=JobSource.FILE,
                source_name=path.name,
                dry_run=options["dry_run"],
                batch_size=options["batch_size"],
                progress=progress,
            )
        except DomainError as problem:
            raise CommandError(problem.message) from None
        sys.stderr.write("\n")
        self.stdout.write(
            f"job {job.pk}{' (dry run)' if job.dry_run else ''}: created {job.created}, updated {job.updated}, "
            f"unchanged {job.unchanged}, rejected {job.rejected}"
        )
        for problem in job.rejected_rows:
            self.stdout.write(f"  row {problem['row']} {problem['field']}: {problem['reason']}")
