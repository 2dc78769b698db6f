"""`ftzsafety audit_purge --before YYYY-MM-DD`: delete audit records older than a date at least 180 days ago.

The remaining chain stays verifiable from an anchor (the last purged record's id and hash); the purge is itself
recorded. Export a checkpoint first (`ftzsafety audit_checkpoint --export FILE`) to keep signed evidence of the
purged part.
"""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ftzsafety.audit import services
from ftzsafety.core.errors import DomainError


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--before: {value!r} is not a date (YYYY-MM-DD)", returncode=2) from exc


class Command(BaseCommand):
    help = "Delete audit records before DATE (at least 180 days ago), keeping the remaining chain verifiable."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--before", required=True, metavar="DATE", help="purge records before this date (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        before = _date(options["before"])
        try:
            result = services.trail_purge(actor=None, before=before)
        except DomainError as exc:
            raise CommandError(f"purge refused: {exc.message}", returncode=1) from exc
        if result.anchor is None:
            self.stdout.write(f"no audit records before {before.isoformat()}: nothing purged")
            return
        self.stdout.write(
            f"purged {result.purged} audit records before {before.isoformat()}; the trail now starts after record "
            f"#{result.anchor.record_id} (anchor hash {result.anchor.record_hash})"
        )
