"""Rate limit of public hazard reports, by client address, in Django's cache (issue 7 item 2: no captcha, but a
flood is refused with 429). The window is fixed: `HAZARDS_PUBLIC_REPORTS` reports per `HAZARDS_PUBLIC_WINDOW`
seconds from one address. With several server processes the cache must be shared (a database or Redis cache) for
the limit to hold across them; the default local-memory cache limits each process on its own."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_REPORTS = 5
DEFAULT_WINDOW_SECONDS = 3600


def public_report_allowed(request: HttpRequest) -> bool:
    """Count this attempt; False when the address has used up its reports for the window."""
    limit = getattr(settings, "HAZARDS_PUBLIC_REPORTS", DEFAULT_REPORTS)
    window = getattr(settings, "HAZARDS_PUBLIC_WINDOW", DEFAULT_WINDOW_SECONDS)
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it (core.middleware).
    key = f"hazards:public-report:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
