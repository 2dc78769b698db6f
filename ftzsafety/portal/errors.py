"""Error pages. Domain errors raised by page views become 403/404/409/422 pages; the API renders its own JSON.

`DomainErrorMiddleware` sits after MessageMiddleware; Django's own 403/404/500 use the handlers below
(`handler403`, `handler404`, `handler500` in ftzsafety/urls.py).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from ftzsafety.core.errors import DomainError

API_PREFIX = "/api/"
TEMPLATES = {403: "portal/403.html", 404: "portal/404.html"}


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be handled"),
        403: _("Not permitted"),
        404: _("Not found"),
        409: _("Conflict"),
        422: _("The input was not accepted"),
    }


def render_error(request: HttpRequest, status: int, message: str = "") -> HttpResponse:
    template = TEMPLATES.get(status, "portal/error.html")
    title = _titles().get(status, _titles()[400])
    return render(request, template, {"status": status, "title": title, "message": message}, status=status)


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or request.path.startswith(API_PREFIX):
            return None
        return render_error(request, exception.status, exception.message)


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "detail": {}}, status=status)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _api_error(403, "permission_denied", _("You do not have permission to do this."))
    return render_error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _api_error(404, "not_found", _("Not found."))
    return render_error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """No context processors and no database: whatever failed may fail again."""
    if request.path.startswith(API_PREFIX):
        return _api_error(500, "server_error", _("Server error."))
    return HttpResponse(loader.get_template("portal/500.html").render({}), status=500)
