"""The public verification endpoints' limit per client address (`core.ratelimit`), set by
`CERTIFICATE_VERIFY_RATE` = (requests, seconds)."""

from django.conf import settings
from django.http import HttpRequest

from ftzsafety.core import ratelimit

DEFAULT_RATE = (30, 60)  # 30 verifications a minute per address: a port gate scanning a queue of trucks fits
SCOPE = "certificates:verify"


def rate() -> tuple[int, int]:
    """(requests, seconds) from the `CERTIFICATE_VERIFY_RATE` setting, e.g. (30, 60)."""
    limit, window = getattr(settings, "CERTIFICATE_VERIFY_RATE", DEFAULT_RATE)
    return int(limit), int(window)


def allow(request: HttpRequest) -> bool:
    """Count this request; False when the address has used up its allowance for the current window."""
    limit, window = rate()
    return ratelimit.allow(request, scope=SCOPE, limit=limit, window=window)


def retry_after(request: HttpRequest) -> int:
    return ratelimit.retry_after(request, scope=SCOPE, window=rate()[1])
