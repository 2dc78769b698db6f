"""`ftzsafety credit_import FILE --user NAME`: verify a peer zone's signed credit record and recognise it."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ftzsafety.core.errors import DomainError
from ftzsafety.credit.management.commands._user import active_user
from ftzsafety.credit.services import credit_record_import


class Command(BaseCommand):
    help = "Import a peer zone's SM2-signed credit record after verifying it with that zone's registered key."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--user", required=True, help="The zone administration officer the import is recorded against."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = active_user(options["user"])
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as error:
            raise CommandError(f"cannot read {options['file']}: {error.strerror}") from None
        try:
            record = credit_record_import(actor=actor, document=data)
        except DomainError as error:
            raise CommandError(f"refused ({error.code}): {error.message}") from None
        self.stdout.write(
            f"recognised {record.enterprise.uscc} from {record.peer_zone.zone_id}: grade {record.peer_grade} "
            f"({record.peer_score}); sm3 {record.document_sm3}"
        )
