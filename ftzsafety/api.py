"""The one NinjaAPI under /api/v1/: authentication, the error body, and each app's router.

Errors are always `{"code": str, "message": str, "detail": {...}}`; lists are `{"items": [...], "count": N}`.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.security import HttpBearer, django_auth

from ftzsafety.core.errors import DomainError


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer ftz_…` — tokens from `ftzsafety createtoken`, stored as digests."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from ftzsafety.accounts.services import api_token_authenticate

        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="ftzsafety API",
    version="1",
    description=(
        "自贸区安全生产监管信息管理系统 API. Authenticate with a session (browser) or "
        "`Authorization: Bearer <token>` (systems; `ftzsafety createtoken --user NAME`)."
    ),
    auth=[BearerTokenAuth(), django_auth],
    urls_namespace="api",
    docs_decorator=login_required,
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, detail: dict | None = None
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, "detail": detail or {}}, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.message, exc.extra)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request, 401, "not_authenticated", _("Sign in, or send a valid bearer token (Authorization: Bearer …).")
    )


def _location(loc: list[Any]) -> str:
    # ninja prefixes the source ("body", "query", "path") and the parameter name; keep the field path.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts) or "request"


@api.exception_handler(SchemaValidationError)
def _schema_invalid(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        fields.setdefault(_location(list(error.get("loc", []))), []).append(str(error.get("msg", "")))
    first_field, messages = next(iter(fields.items())) if fields else ("request", [_("Invalid request.")])
    message = _("%(field)s: %(problem)s") % {"field": first_field, "problem": messages[0]}
    return error_response(request, 422, "invalid_request", message, {"fields": fields})


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, "error", str(exc))


def _add_routers() -> None:
    from ftzsafety.accounts.api import router as accounts_router
    from ftzsafety.enterprises.api import router as enterprises_router

    api.add_router("/", accounts_router)
    api.add_router("/enterprises", enterprises_router)

    from ftzsafety.security.api import grants_router, requests_router

    api.add_router("/access-requests", requests_router)
    api.add_router("/grants", grants_router)

    from ftzsafety.audit.api import router as audit_router

    api.add_router("/audit", audit_router)

    from ftzsafety.dangerous_goods.api import major_hazards_router
    from ftzsafety.dangerous_goods.api import router as dangerous_goods_router

    api.add_router("/dangerous-goods", dangerous_goods_router)
    api.add_router("/major-hazards", major_hazards_router)

    from ftzsafety.exchange.api import router as exchange_router

    api.add_router("/exchange", exchange_router)

    # Credit (issue 8): /enterprises/{uscc}/credit… sits beside the registry's router (its paths all end in
    # /credit…, so they never shadow /enterprises/{uscc}); the rest under /credit.
    from ftzsafety.credit.api import enterprise_router as credit_enterprise_router
    from ftzsafety.credit.api import router as credit_router

    api.add_router("/enterprises", credit_enterprise_router)
    api.add_router("/credit", credit_router)

    from ftzsafety.documents.api import router as documents_router

    api.add_router("/documents", documents_router)

    from ftzsafety.certificates.api import router as certificates_router

    api.add_router("/certificates", certificates_router)

    from ftzsafety.filings.api import router as filings_router

    api.add_router("/filings", filings_router)

    from ftzsafety.enforcement.api import router as officers_router
    from ftzsafety.hazards.api import router as hazards_router

    api.add_router("/hazards", hazards_router)
    api.add_router("/officers", officers_router)


_add_routers()
