"""Rate limit of public hazard reports by client address (issue 7 item 2: no captcha, but a flood is refused with
429): `HAZARDS_PUBLIC_REPORTS` reports per `HAZARDS_PUBLIC_WINDOW` seconds from one address, counted by
`core.ratelimit`."""

from django.conf import settings
from django.http import HttpRequest

from ftzsafety.core import ratelimit

DEFAULT_REPORTS = 5
DEFAULT_WINDOW_SECONDS = 3600


def public_report_allowed(request: HttpRequest) -> bool:
    """Count this attempt; False when the address has used up its reports for the window."""
    return ratelimit.allow(
        request,
        scope="hazards:public-report",
        limit=getattr(settings, "HAZARDS_PUBLIC_REPORTS", DEFAULT_REPORTS),
        window=getattr(settings, "HAZARDS_PUBLIC_WINDOW", DEFAULT_WINDOW_SECONDS),
    )
