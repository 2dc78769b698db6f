"""`ftzsafety credit_export USCC --user NAME [--output FILE]`: write an enterprise's SM2-signed credit record."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ftzsafety.core.errors import DomainError
from ftzsafety.credit.management.commands._user import active_user
from ftzsafety.credit.services import credit_record_export


class Command(BaseCommand):
    help = "Export an enterprise's credit record signed with the zone's SM2 key, for a peer zone (信用互认)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("uscc")
        parser.add_argument("--user", required=True, help="The officer the export is recorded against.")
        parser.add_argument("--output", "-o", default="", help="File to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = active_user(options["user"])
        try:
            document = credit_record_export(actor=actor, uscc=options["uscc"])
        except DomainError as error:
            raise CommandError(f"{error.code}: {error.message}") from None
        if options["output"]:
            Path(options["output"]).write_text(document, encoding="utf-8")
            self.stderr.write(f"wrote {options['output']}")
        else:
            self.stdout.write(document, ending="")
