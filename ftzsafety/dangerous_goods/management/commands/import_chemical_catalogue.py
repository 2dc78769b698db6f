"""`ftzsafety import_chemical_catalogue FILE --edition TEXT [--source TEXT]`: replace the hazardous-chemicals
catalogue (危险化学品目录) with the rows of the official spreadsheet (.xlsx) or a CSV; all or nothing; audited."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.dangerous_goods.catalogue_import import read_catalogue
from ftzsafety.dangerous_goods.services import hazardous_chemical_catalogue_import


class Command(BaseCommand):
    help = "Import the hazardous-chemicals catalogue (危险化学品目录) from an .xlsx or .csv file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--edition", required=True, help="e.g. “2015版（2022年调整）”")
        parser.add_argument("--source", default="", help="where the file came from")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        try:
            with path.open("rb") as handle:
                rows, digest = read_catalogue(handle, path.name)
            count = hazardous_chemical_catalogue_import(
                actor=None,
                rows=rows,
                edition=options["edition"],
                source=options["source"] or str(path.name),
                file_name=path.name,
                sha256=digest,
            )
        except ValidationFailed as failed:
            problems = "\n".join(f"  {field}: {'; '.join(messages)}" for field, messages in failed.fields.items())
            raise CommandError(f"nothing imported:\n{problems or failed.message}") from failed
        self.stdout.write(f"{count} catalogue entries imported (edition {options['edition']}).")
