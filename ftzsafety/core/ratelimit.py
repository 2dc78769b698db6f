"""Per-address request limits for the pages and endpoints that need no sign-in (public hazard reports, certificate
verification), where the sign-in lockout protects nothing.

A fixed window that starts at an address's first request: `limit` requests per `window` seconds, counted in Django's
cache. With the default local-memory cache each server process counts on its own; configure a shared cache (database
or Redis) for the limit to hold across processes. Only REMOTE_ADDR is used: X-Forwarded-For is set by the client
unless a trusted proxy rewrites it."""

import time

from django.core.cache import cache
from django.http import HttpRequest


def _key(request: HttpRequest, scope: str) -> str:
    return f"ratelimit:{scope}:{request.META.get('REMOTE_ADDR') or 'unknown'}"


def allow(request: HttpRequest, *, scope: str, limit: int, window: int) -> bool:
    """Count this request; False when the address has used up its `limit` for the current window."""
    key = _key(request, scope)
    if cache.add(f"{key}:start", time.time(), timeout=window):
        cache.set(key, 0, timeout=window)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def retry_after(request: HttpRequest, *, scope: str, window: int) -> int:
    """Seconds until the address's current window ends (at least 1), for a Retry-After header."""
    started = cache.get(f"{_key(request, scope)}:start")
    if started is None:
        return 1
    return max(1, int(started + window - time.time()) + 1)
