"""Time-based one-time passwords (RFC 6238) as the second factor for government and platform roles
(GB/T 22239-2019 §8.1.4.1 d: two factors, one of them cryptographic). Each code is usable once."""

import time
from typing import Any

import pyotp
import segno

ISSUER = "ftzsafety"
VALID_WINDOW = 1  # accept the previous and the next 30-second step, for clock drift


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(*, secret: str, username: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (no data URI or script, so it passes the CSP)."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=2)


def matching_timecode(*, secret: str, code: str, last_timecode: int | None, for_time: Any = None) -> int | None:
    """The time step the code belongs to, or None if it is wrong or was already used.

    Replay protection: a code is accepted only for a time step later than the last one accepted.
    """
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if for_time is None else for_time
    current = int(now // totp.interval)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            if last_timecode is not None and step <= last_timecode:
                return None
            return step
    return None
