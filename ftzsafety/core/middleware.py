"""Cross-cutting HTTP middleware: the request context and the Content-Security-Policy."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from ftzsafety.core import request_context


class RequestContextMiddleware:
    """Binds request id and client address for the audit trail; echoes the id as X-Request-ID."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
        ctx = request_context.RequestContext(
            ip=request.META.get("REMOTE_ADDR"), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200]
        )
        request.request_id = ctx.request_id
        token = request_context.bind(ctx)
        try:
            response = self.get_response(request)
        finally:
            request_context.unbind(token)
        response["X-Request-ID"] = ctx.request_id
        return response


def content_security_policy() -> str:
    """No inline script or style anywhere: pages pass data with json_script and load only our static files.

    A configured map tile server is the one outside origin allowed, for images only.
    """
    img = ["'self'", "data:"]
    if settings.MAP_TILE_URL:
        parts = urlsplit(settings.MAP_TILE_URL)
        img.append(f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}")
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {' '.join(img)}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        return response
