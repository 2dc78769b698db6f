"""`ftzsafety cert_verify PAYLOAD_OR_IMAGE --public-key PEM`: verify an e-certificate offline.

PAYLOAD_OR_IMAGE is the QR code's text (FTZC1/…), a text file holding it, or a photo/scan of the QR code (PNG, JPEG,
WebP). The SM2 signature is checked against the public key given (obtained from the zone through a channel you trust:
`ftzsafety cert_public_key` there, or /verify/public-key.pem), and the validity window against this machine's clock.
No database and no network: revocation is NOT checked offline. Exit 0 when valid, 1 when not, 2 for bad usage.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ftzsafety.certificates import qr
from ftzsafety.certificates.payload import PREFIX
from ftzsafety.certificates.verification import check_payload

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff"}


def _read_public_key(value: str) -> str:
    if value.lstrip().startswith("-----BEGIN"):
        return value
    try:
        return Path(value).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read the public key file {value}: {exc}", returncode=2) from exc


def _payload(argument: str) -> str:
    """The payload text: the argument itself, or read from the file it names (text, or an image of the QR)."""
    if argument.startswith(PREFIX):
        return argument.strip()
    path = Path(argument)
    if not path.is_file():
        raise CommandError(
            f"{argument[:60]!r} is neither a certificate payload (starting {PREFIX}/) nor a file", returncode=2
        )
    content = path.read_bytes()
    if path.suffix.lower() in IMAGE_SUFFIXES or not content[:8].isascii():
        try:
            texts = qr.read_image(content)
        except ValueError as exc:
            raise CommandError(f"{path} is not an image this tool can read", returncode=2) from exc
        found = [text for text in texts if text.startswith(PREFIX)]
        if not found:
            raise CommandError(
                f"no e-certificate QR code found in {path}" + (f" (found other codes: {len(texts)})" if texts else ""),
                returncode=1,
            )
        return found[0]
    try:
        return content.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise CommandError(f"{path} is neither text nor an image", returncode=2) from exc


class Command(BaseCommand):
    help = (
        "Verify an e-certificate offline: its SM2 signature with --public-key and its validity period. "
        "Revocation is not checked offline (use the /verify/ page or POST /api/v1/certificates/verify)."
    )
    requires_system_checks: list[str] = []  # offline: nothing here touches the database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("payload_or_image", metavar="PAYLOAD_OR_IMAGE", help="QR text, a text file, or a photo")
        parser.add_argument(
            "--public-key", metavar="PEM", required=True, help="the zone's SM2 public key: a PEM file (or PEM text)"
        )
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        public_pem = _read_public_key(options["public_key"])
        payload = _payload(options["payload_or_image"])

        def key_for(_key_id: str) -> str:
            return public_pem

        try:
            result, _data = check_payload(payload, key_for)
        except ValueError as exc:  # the PEM given is not an SM2 public key
            raise CommandError(f"the public key is not an SM2 public key in PEM form: {exc}", returncode=2) from exc
        result.revocation_checked = False
        note = "revocation not checked offline"
        if options["json"]:
            self.stdout.write(json.dumps({**result.as_dict(), "note": note}, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"{'VALID' if result.valid else 'NOT VALID'}: {result.reason} — {result.message}")
            content = result.certificate
            if content:
                self.stdout.write(f"certificate {content['number']} for filing {content['filing_ref']}")
                self.stdout.write(f"enterprise (credit code) {content['enterprise_uscc']}")
                self.stdout.write(f"valid {content['valid_from']} — {content['valid_until']} (UTC)")
                for line in content["lines"]:
                    self.stdout.write(f"  {line['un_number']}  {line['quantity']} {line['unit']}")
                self.stdout.write(f"issuer {content['issuer']}, key {content['key_id']}")
            self.stdout.write(note)
        if not result.valid:
            raise CommandError(f"certificate not valid: {result.reason}", returncode=1)
