"""The e-certificate's QR payload: a compact, canonical, signed text. Pure functions, no database access, so the
offline verifier (`ftzsafety cert_verify … --public-key PEM`) needs nothing but this module and the public key.

Format, version 1 (every character is in the QR alphanumeric set, so segno encodes it in alphanumeric mode,
5.5 bits a character)::

    FTZC1/<number>/<filing>/<uscc>/<lines>/<valid from>/<valid until>/<issuer>/<key id>/<signature>

- ``FTZC1``: format and version. A later version changes the prefix; verifiers refuse prefixes they do not know.
- ``number``: the certificate number, e.g. ``EC2026000042``.
- ``filing``: the filing reference in upper case, ``[A-Z0-9.-]``, at most 40 characters.
- ``uscc``: the enterprise's unified social credit code (GB 32100-2015), 18 characters.
- ``lines``: ``<UN number>*<quantity>*<unit>`` joined by ``+``, sorted by UN number then unit, one line per UN
  number and unit (quantities of the same UN number and unit are added up before signing), or ``-`` when the
  certificate covers no goods (a safety qualification filing, a training application); the UN number is its
  four digits, the quantity a plain decimal without exponent or trailing zeros, the unit one of ``KG T G L M3 PCS``.
- ``valid from`` / ``valid until``: ``YYYYMMDDHHMM`` in UTC (minutes; the certificate stores the same rounding).
- ``issuer``: the issuing authority's code, ``[A-Z0-9.-]``, at most 24 characters.
- ``key id``: the zone signing key's id in upper case (``SM2-20261129-A1B2C3``); key ids are lower case, so the
  upper-case form maps back to exactly one id.
- ``signature``: the SM2 signature (GB/T 32918.2-2016 with SM3; signer ID ``1234567812345678`` per GM/T 0009-2012)
  over the ASCII bytes of everything before the last ``/`` (prefix included), DER ``SEQUENCE {r, s}``, encoded as
  RFC 4648 base32 without padding. Decoding is strict: only the canonical encoding is accepted, so a changed
  character anywhere — including the unused low bits of the last base32 character — makes the payload invalid.

The whole payload is at most 500 bytes (`MAX_PAYLOAD_BYTES`): QR version 11–17 at level Q. The fixed fields
take about 140 bytes (up to 260 with a 40-character filing reference and a 24-character issuer) and the DER signature
70–72 bytes (at most 116 base32 characters). Measured (tests/certificates/test_payload.py, hypothesis): 12 goods
lines always fit, even with the longest fixed fields and quantities up to 99 999.999; a typical filing fits 20.
Issuing refuses, with a message saying so, a certificate whose payload would not fit, rather than signing a digest
of the lines: a verifier offline then still reads every UN number and quantity from the QR itself.
"""

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from ftzsafety.security import crypto

PREFIX = "FTZC1"
SEPARATOR = "/"
MAX_PAYLOAD_BYTES = 500
MAX_QUANTITY_DIGITS = 12
MAX_QUANTITY_DECIMALS = 3
TIME_FORMAT = "%Y%m%d%H%M"
FIELD_COUNT = 10  # prefix, 8 signed fields, signature
NO_LINES = "-"  # a certificate without goods (safety qualification, training application)

# Units of quantity (GB 3100-1993 and the customs count unit 件), as the exchange datasets name them.
UNITS = {"kg": "KG", "t": "T", "g": "G", "L": "L", "m3": "M3", "pcs": "PCS"}
UNIT_ALIASES = {"l": "L", "m³": "m3", "kgs": "kg", "吨": "t", "千克": "kg", "升": "L", "件": "pcs", "立方米": "m3"}
_UNITS_BACK = {code: unit for unit, code in UNITS.items()}

NUMBER_RE = re.compile(r"^EC\d{4}\d{6,}$")
FILING_RE = re.compile(r"^[A-Z0-9][A-Z0-9.-]{0,39}$")
ISSUER_RE = re.compile(r"^[A-Z0-9][A-Z0-9.-]{0,23}$")
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
KEY_RE = re.compile(r"^SM2-\d{8}-[0-9A-F]{6}$")
UN_RE = re.compile(r"^(?:UN)?(\d{4})$")
QUANTITY_RE = re.compile(r"^(0|[1-9]\d*)(\.\d*[1-9])?$")
TIME_RE = re.compile(r"^\d{12}$")
BASE32_RE = re.compile(r"^[A-Z2-7]+$")


class PayloadError(ValueError):
    """The text is not a well-formed version-1 certificate payload. `code` says which check failed."""

    def __init__(self, message: str, code: str = "malformed") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Line:
    un_number: str  # "UN1203"
    quantity: Decimal
    unit: str  # "kg", "t", "g", "L", "m3", "pcs"


@dataclass(frozen=True)
class CertificateData:
    """The signed content of a certificate, as read back from a payload."""

    number: str
    filing_ref: str
    uscc: str
    lines: tuple[Line, ...]
    valid_from: datetime
    valid_until: datetime
    issuer: str
    key_id: str  # lower case, as the key store names it

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "filing_ref": self.filing_ref,
            "enterprise_uscc": self.uscc,
            "lines": [
                {"un_number": line.un_number, "quantity": format_quantity(line.quantity), "unit": line.unit}
                for line in self.lines
            ],
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "issuer": self.issuer,
            "key_id": self.key_id,
        }


# --- normalising the parts -----------------------------------------------------------------------------------------


def normalise_unit(raw: str) -> str:
    """`kg`, `KG`, `千克` → `kg`; `m³` → `m3`; `件` → `pcs`. ValueError for anything else."""
    text = str(raw or "").strip()
    text = UNIT_ALIASES.get(text, UNIT_ALIASES.get(text.lower(), text))
    for unit in UNITS:
        if text == unit or text.lower() == unit.lower():
            return unit
    raise ValueError(f"unit {str(raw)[:16]!r}: expected one of {', '.join(UNITS)}")


def normalise_un_number(raw: str) -> str:
    text = str(raw or "").strip().upper().replace(" ", "")
    found = UN_RE.match(text)
    if not found:
        raise ValueError(f"UN number {str(raw)[:16]!r}: expected four digits, optionally after UN")
    return f"UN{found.group(1)}"


def normalise_quantity(raw: Decimal | int | str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise ValueError(f"quantity {str(raw)[:20]!r} is not a number") from None
    if not value.is_finite() or value <= 0:
        raise ValueError(f"quantity {raw}: expected a number greater than zero")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_QUANTITY_DECIMALS:
        raise ValueError(f"quantity {raw}: at most {MAX_QUANTITY_DECIMALS} decimal places")
    if len(format_quantity(value).replace(".", "")) > MAX_QUANTITY_DIGITS:
        raise ValueError(f"quantity {raw}: at most {MAX_QUANTITY_DIGITS} digits")
    return value


def format_quantity(value: Decimal) -> str:
    """Plain decimal, no exponent, no trailing zeros: 12.50 → "12.5", 3E+3 → "3000"."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def merge_lines(lines: list[tuple[str, Decimal | int | str, str]]) -> tuple[Line, ...]:
    """Normalise goods lines and add up quantities per (UN number, unit); sorted canonically. ValueError names the
    line (1-based) that is wrong."""
    totals: dict[tuple[str, str], Decimal] = {}
    for index, item in enumerate(lines, start=1):
        try:
            un_raw, quantity_raw, unit_raw = item
            key = (normalise_un_number(un_raw), normalise_unit(unit_raw))
            quantity = normalise_quantity(quantity_raw)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"line {index}: {exc}") from None
        totals[key] = totals.get(key, Decimal(0)) + quantity
    return tuple(Line(un, normalise_quantity(total), unit) for (un, unit), total in sorted(totals.items()))


def minute(value: datetime) -> datetime:
    """The UTC minute a certificate time is signed at (seconds dropped)."""
    if value.tzinfo is None:
        raise ValueError("certificate times must be timezone-aware")
    return value.astimezone(UTC).replace(second=0, microsecond=0)


# --- encoding ------------------------------------------------------------------------------------------------------


def _b32encode(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _b32decode(text: str) -> bytes:
    if not BASE32_RE.match(text):
        raise PayloadError("the signature is not upper-case base32")
    padded = text + "=" * (-len(text) % 8)
    try:
        data = base64.b32decode(padded)
    except (binascii.Error, ValueError):
        raise PayloadError("the signature is not base32") from None
    if _b32encode(data) != text:  # non-canonical (unused bits set, or a length base32 never produces)
        raise PayloadError("the signature is not canonical base32")
    return data


def signed_text(data: CertificateData) -> str:
    """The canonical text that is signed (everything before the signature, prefix included)."""
    lines = (
        "+".join(f"{line.un_number[2:]}*{format_quantity(line.quantity)}*{UNITS[line.unit]}" for line in data.lines)
        or NO_LINES
    )
    fields = [
        PREFIX,
        data.number,
        data.filing_ref,
        data.uscc,
        lines,
        minute(data.valid_from).strftime(TIME_FORMAT),
        minute(data.valid_until).strftime(TIME_FORMAT),
        data.issuer,
        data.key_id.upper(),
    ]
    for name, value, pattern in (
        ("number", data.number, NUMBER_RE),
        ("filing_ref", data.filing_ref, FILING_RE),
        ("uscc", data.uscc, USCC_RE),
        ("issuer", data.issuer, ISSUER_RE),
        ("key_id", data.key_id.upper(), KEY_RE),
    ):
        if not pattern.match(value):
            raise ValueError(f"{name} {value!r} cannot go into a certificate payload")
    return SEPARATOR.join(fields)


def sign(data: CertificateData, private_key_pem: bytes) -> str:
    """The full payload: signed text, separator, base32 of the DER SM2 signature."""
    text = signed_text(data)
    signature = crypto.sm2_sign(private_key_pem, text.encode("ascii"))
    return f"{text}{SEPARATOR}{_b32encode(signature)}"


def size_estimate(data: CertificateData) -> int:
    """The payload's length with the longest DER signature (72 bytes → 116 base32 characters)."""
    return len(signed_text(data)) + 1 + 116


# --- decoding ------------------------------------------------------------------------------------------------------


def _time(text: str, name: str) -> datetime:
    if not TIME_RE.match(text):
        raise PayloadError(f"{name} is not YYYYMMDDHHMM")
    try:
        return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise PayloadError(f"{name} is not a date and time") from None


def _lines(text: str) -> tuple[Line, ...]:
    if text == NO_LINES:
        return ()
    lines = []
    for part in text.split("+"):
        pieces = part.split("*")
        if len(pieces) != 3 or not re.fullmatch(r"\d{4}", pieces[0]) or not QUANTITY_RE.match(pieces[1]):
            raise PayloadError("a goods line is not UN*QUANTITY*UNIT")
        if pieces[2] not in _UNITS_BACK:
            raise PayloadError("a goods line has an unknown unit")
        lines.append(Line(f"UN{pieces[0]}", Decimal(pieces[1]), _UNITS_BACK[pieces[2]]))
    keys = [(line.un_number, line.unit) for line in lines]
    if keys != sorted(set(keys)):
        raise PayloadError("goods lines are not in canonical order")
    return tuple(lines)


def parse(payload: str) -> tuple[CertificateData, str, bytes]:
    """(content, signed text, DER signature) of a payload; PayloadError when it is not well formed. The signature is
    NOT checked here: see `verify_signature`."""
    if not isinstance(payload, str):
        raise PayloadError("the payload is text")
    if len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise PayloadError(f"a certificate payload is at most {MAX_PAYLOAD_BYTES} bytes")
    parts = payload.split(SEPARATOR)
    if not parts or parts[0] != PREFIX:
        raise PayloadError(f"not a certificate payload (it starts with {PREFIX}{SEPARATOR})", code="unknown_format")
    if len(parts) != FIELD_COUNT:
        raise PayloadError(f"a certificate payload has {FIELD_COUNT} fields separated by {SEPARATOR}")
    _prefix, number, filing, uscc, lines, valid_from, valid_until, issuer, key, signature_text = parts
    for name, value, pattern in (
        ("number", number, NUMBER_RE),
        ("filing", filing, FILING_RE),
        ("credit code", uscc, USCC_RE),
        ("issuer", issuer, ISSUER_RE),
        ("key id", key, KEY_RE),
    ):
        if not pattern.match(value):
            raise PayloadError(f"the {name} field is malformed")
    data = CertificateData(
        number=number,
        filing_ref=filing,
        uscc=uscc,
        lines=_lines(lines),
        valid_from=_time(valid_from, "valid from"),
        valid_until=_time(valid_until, "valid until"),
        issuer=issuer,
        key_id=key.lower(),
    )
    text = payload[: payload.rindex(SEPARATOR)]
    if signed_text(data) != text:  # e.g. a quantity written 1.50 instead of 1.5: one content, one text
        raise PayloadError("the payload is not in canonical form")
    return data, text, _b32decode(signature_text)


def verify_signature(text: str, signature: bytes, public_key_pem: bytes | str) -> bool:
    """Whether `signature` is the zone key's SM2 signature of `text`. ValueError for a malformed public key."""
    return crypto.sm2_verify(public_key_pem, text.encode("ascii"), signature)
