"""A fixed-window request counter per client address for the public verification endpoints (no sign-in, so the
login lockout does not protect them). Counts live in Django's cache: per process with the default local-memory
cache, shared between workers once a shared cache (database, Redis) is configured."""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_RATE = (30, 60)  # 30 verifications a minute per address: a port gate scanning a queue of trucks fits


def rate() -> tuple[int, int]:
    """(requests, seconds) from the `CERTIFICATE_VERIFY_RATE` setting, e.g. (30, 60)."""
    return tuple(getattr(settings, "CERTIFICATE_VERIFY_RATE", DEFAULT_RATE))  # type: ignore[return-value]


def allow(request: HttpRequest, scope: str = "verify") -> bool:
    """Count this request; False when the address has used up its allowance for the current window."""
    limit, window = rate()
    address = request.META.get("REMOTE_ADDR") or "unknown"  # REMOTE_ADDR only: X-Forwarded-For is client-set
    key = f"certificates:rate:{scope}:{address}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count <= limit


def retry_after() -> int:
    _limit, window = rate()
    return max(1, int(window - time.time() % window))
