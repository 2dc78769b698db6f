"""`ftzsafety audit_checkpoint [--export FILE]`: sign the audit chain's head with the zone's SM2 key.

Scheduling: run it from cron (e.g. hourly, `0 * * * * cd /srv/ftzsafety && ftzsafety audit_checkpoint`), or let
the task worker do it: cron `ftzsafety audit_checkpoint --enqueue` queues `ftzsafety.audit.tasks.make_checkpoint`
for `ftzsafety db_worker`. Hand the exported file and the public key (`--public-key-out`) to the departments
that verify it with `ftzsafety audit_verify --checkpoint FILE --public-key PEM`.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ftzsafety.audit import checkpoints, services
from ftzsafety.audit.models import AuditCheckpoint
from ftzsafety.core.errors import DomainError
from ftzsafety.security import keys


class Command(BaseCommand):
    help = "Sign the current head of the audit chain with the zone's SM2 key; optionally export it as a JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--export", metavar="FILE", help="write the signed checkpoint to FILE (JSON)")
        parser.add_argument("--public-key-out", metavar="FILE", help="also write the zone's SM2 public key (PEM)")
        parser.add_argument(
            "--latest", action="store_true", help="export the latest checkpoint instead of making a new one"
        )
        parser.add_argument("--enqueue", action="store_true", help="queue the checkpoint task for the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from ftzsafety.audit.tasks import make_checkpoint

            result = make_checkpoint.enqueue()
            self.stdout.write(f"queued checkpoint task {result.id}")
            return
        if options["latest"]:
            checkpoint = AuditCheckpoint.objects.order_by("-record_id", "-id").first()
            if checkpoint is None:
                raise CommandError("there is no checkpoint yet", returncode=1)
        else:
            try:
                checkpoint = services.checkpoint_make(actor=None)
            except DomainError as exc:
                raise CommandError(exc.message, returncode=1) from exc
        self.stdout.write(
            f"checkpoint #{checkpoint.pk}: record #{checkpoint.record_id}, {checkpoint.count} records, "
            f"head {checkpoint.head_hash}, key {checkpoint.key_id}"
        )
        if options["export"]:
            Path(options["export"]).write_text(
                json.dumps(checkpoints.export(checkpoint), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            self.stdout.write(f"written to {options['export']}")
        if options["public_key_out"]:
            Path(options["public_key_out"]).write_bytes(keys.signing_public_key(checkpoint.key_id))
            self.stdout.write(f"public key written to {options['public_key_out']}")
