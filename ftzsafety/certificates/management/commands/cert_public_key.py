"""`ftzsafety cert_public_key [--key-id ID] [--out FILE]`: print (or write) the zone's SM2 public key as PEM, for
those who verify e-certificates offline with `ftzsafety cert_verify … --public-key FILE`. Hand it over through a
channel the verifier trusts (in person, a signed letter, the department's own network), not inside a certificate."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ftzsafety.security import keys


class Command(BaseCommand):
    help = "Print or write the zone's SM2 public key (PEM) for offline verification of e-certificates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--key-id", default="", help="a key this zone had before a rotation (default: current)")
        parser.add_argument("--out", metavar="FILE", help="write the PEM to FILE instead of printing it")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["key_id"]:
                key_id, pem = options["key_id"], keys.signing_public_key(options["key_id"])
            else:
                key_id, pem = keys.zone_public_key()
        except keys.UnknownKey as exc:
            raise CommandError(f"no such signing key: {exc}", returncode=1) from exc
        if options["out"]:
            Path(options["out"]).write_bytes(pem)
            self.stdout.write(f"wrote the public key {key_id} to {options['out']}")
        else:
            self.stdout.write(pem.decode("ascii").rstrip("\n"))
