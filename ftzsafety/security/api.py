"""/api/v1/access-requests and /api/v1/grants: parse, call a selector or service, return."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from ftzsafety.security import selectors, services
from ftzsafety.security.schemas import (
    AccessRequestFilters,
    AccessRequestIn,
    AccessRequestOut,
    DecisionIn,
    GrantFilters,
    GrantOut,
    ReasonIn,
)

requests_router = Router(tags=["access requests"])
grants_router = Router(tags=["grants"])
ERRORS = {400: dict, 403: dict, 404: dict, 409: dict, 422: dict}


@requests_router.get("", response=list[AccessRequestOut], summary="Access requests visible to you")
@paginate(LimitOffsetPagination)
def access_request_list(request: HttpRequest, filters: Query[AccessRequestFilters]) -> Any:
    return selectors.access_request_list(actor=request.user, status=filters.status, mine=filters.mine)


@requests_router.get("/queue", response=list[AccessRequestOut], summary="Requests awaiting your decision")
@paginate(LimitOffsetPagination)
def access_request_queue(request: HttpRequest) -> Any:
    return selectors.access_request_queue(actor=request.user)


@requests_router.post("", response={201: AccessRequestOut, **ERRORS}, summary="Ask for access to confidential data")
def access_request_submit(request: HttpRequest, payload: AccessRequestIn) -> Any:
    created = services.access_request_submit(
        actor=request.user,
        dataset=payload.dataset,
        owner_code=payload.owner,
        object_id=payload.object_id,
        fields=payload.fields,
        purpose=payload.purpose,
        valid_until=payload.valid_until,
    )
    return Status(201, selectors.access_request_get(actor=request.user, request_id=created.pk))


@requests_router.get("/{request_id}", response={200: AccessRequestOut, 404: dict}, summary="One access request")
def access_request_get(request: HttpRequest, request_id: int) -> Any:
    return selectors.access_request_get(actor=request.user, request_id=request_id)


@requests_router.post("/{request_id}/approve", response={200: AccessRequestOut, **ERRORS}, summary="Approve your step")
def access_request_approve(request: HttpRequest, request_id: int, payload: DecisionIn) -> Any:
    services.access_request_approve(actor=request.user, request_id=request_id, note=payload.note)
    return selectors.access_request_get(actor=request.user, request_id=request_id)


@requests_router.post(
    "/{request_id}/refuse", response={200: AccessRequestOut, **ERRORS}, summary="Refuse, with a reason"
)
def access_request_refuse(request: HttpRequest, request_id: int, payload: ReasonIn) -> Any:
    services.access_request_refuse(actor=request.user, request_id=request_id, reason=payload.reason)
    return selectors.access_request_get(actor=request.user, request_id=request_id)


@requests_router.post("/{request_id}/withdraw", response={200: AccessRequestOut, **ERRORS}, summary="Withdraw yours")
def access_request_withdraw(request: HttpRequest, request_id: int) -> Any:
    services.access_request_withdraw(actor=request.user, request_id=request_id)
    return selectors.access_request_get(actor=request.user, request_id=request_id)


@grants_router.get("", response=list[GrantOut], summary="Grants visible to you")
@paginate(LimitOffsetPagination)
def grant_list(request: HttpRequest, filters: Query[GrantFilters]) -> Any:
    return selectors.grant_list(actor=request.user, mine=filters.mine, live_only=filters.live)


@grants_router.get("/{grant_id}", response={200: GrantOut, 404: dict}, summary="One grant")
def grant_get(request: HttpRequest, grant_id: int) -> Any:
    return selectors.grant_get(actor=request.user, grant_id=grant_id)


@grants_router.post("/{grant_id}/revoke", response={200: GrantOut, **ERRORS}, summary="Revoke a grant, with a reason")
def grant_revoke(request: HttpRequest, grant_id: int, payload: ReasonIn) -> Any:
    services.grant_revoke(actor=request.user, grant_id=grant_id, reason=payload.reason)
    return selectors.grant_get(actor=request.user, grant_id=grant_id)
