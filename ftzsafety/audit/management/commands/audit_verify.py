"""`ftzsafety audit_verify`: walk the audit chain; exit 0 printing the count, or 1 naming the first bad record.

With `--checkpoint FILE --public-key PEM` it checks an exported checkpoint instead: its SM2 signature with the given
public key, and that the local trail up to the signed record still hashes to the signed head. `--signature-only`
checks just the file (for a department that holds the file and the key but not the database).
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ftzsafety.audit import checkpoints
from ftzsafety.audit.chain import BATCH_SIZE, verify_trail


def _read_public_key(value: str) -> str:
    if value.lstrip().startswith("-----BEGIN"):
        return value
    try:
        return Path(value).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read the public key file {value}: {exc}", returncode=1) from exc


class Command(BaseCommand):
    help = (
        "Verify the SM3 hash chain of the audit trail (exit 0 and the count when intact, 1 naming the first record "
        "that was changed, removed or reordered), or verify an exported checkpoint with --checkpoint and --public-key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint", metavar="FILE", help="a file written by `ftzsafety audit_checkpoint --export`"
        )
        parser.add_argument("--public-key", metavar="PEM", help="the zone's SM2 public key: a PEM file (or PEM text)")
        parser.add_argument(
            "--signature-only", action="store_true", help="with --checkpoint: check the file's signature only"
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="records read per query")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["checkpoint"]:
            self._checkpoint(options["checkpoint"], options["public_key"], options["signature_only"])
            return
        if options["public_key"] or options["signature_only"]:
            raise CommandError("--public-key and --signature-only go with --checkpoint FILE", returncode=2)
        result = verify_trail(batch_size=max(1, options["batch_size"]))
        if not result.ok:
            raise CommandError(f"audit trail broken: {result.message()}", returncode=1)
        self.stdout.write(result.message())

    def _checkpoint(self, path: str, public_key: str | None, signature_only: bool) -> None:
        if not public_key:
            raise CommandError(
                "--checkpoint needs --public-key PEM (the zone's key, obtained separately)", returncode=2
            )
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read the checkpoint file {path}: {exc}", returncode=1) from exc
        try:
            checkpoint = checkpoints.verify_file(content, _read_public_key(public_key))
        except checkpoints.CheckpointInvalid as exc:
            raise CommandError(f"checkpoint refused: {exc}", returncode=1) from exc
        self.stdout.write(
            f"signature valid: checkpoint of record #{checkpoint.record_id} ({checkpoint.count} records), "
            f"head {checkpoint.head_hash}, signed {checkpoint.signed_at} with key {checkpoint.key_id}"
        )
        if signature_only:
            return
        ok, message = checkpoints.check_against_trail(checkpoint)
        if not ok:
            raise CommandError(f"checkpoint does not match the local trail: {message}", returncode=1)
        self.stdout.write(message)
