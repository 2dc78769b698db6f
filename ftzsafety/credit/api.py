"""/api/v1/enterprises/{uscc}/credit… and /api/v1/credit/…: parse, call a selector or service, return.

`enterprise_router` is mounted at /enterprises next to the registry's router; its paths all end in /credit…,
so they never clash with the registry's /enterprises/{uscc}."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from ftzsafety.credit import selectors, services
from ftzsafety.credit.schemas import (
    ApplicationFilterQuery,
    ApplicationIn,
    ApplicationOut,
    CreditOut,
    DecisionIn,
    EventIn,
    EventOut,
    GradeFilterQuery,
    GradeOut,
    PeerZoneIn,
    PeerZoneOut,
    PeerZonePatch,
    PolicyIn,
    PolicyOut,
    PublicationOut,
    RecognisedRecordOut,
    ZoneKeyOut,
)

enterprise_router = Router(tags=["credit"])
router = Router(tags=["credit"])
ERRORS = {400: dict, 403: dict, 404: dict, 409: dict, 422: dict}


@enterprise_router.get("/{uscc}/credit", response={200: CreditOut, 404: dict}, summary="Credit grade, explained")
def credit_get(request: HttpRequest, uscc: str) -> Any:
    return selectors.credit_explain(actor=request.user, uscc=uscc)


@enterprise_router.get("/{uscc}/credit/events", response=list[EventOut], summary="Credit events of an enterprise")
@paginate(LimitOffsetPagination)
def credit_event_list(request: HttpRequest, uscc: str) -> Any:
    return selectors.event_list(actor=request.user, uscc=uscc)


@enterprise_router.post(
    "/{uscc}/credit/events", response={201: EventOut, **ERRORS}, summary="Record a penalty, certification, …"
)
def credit_event_create(request: HttpRequest, uscc: str, payload: EventIn) -> Any:
    event = services.credit_event_record_manual(actor=request.user, uscc=uscc, **payload.dict())
    return Status(201, event)


@enterprise_router.get(
    "/{uscc}/credit/export", response={200: dict, **ERRORS}, summary="The credit record, signed (SM2) for a peer zone"
)
def credit_export(request: HttpRequest, uscc: str) -> Any:
    document = services.credit_record_export(actor=request.user, uscc=uscc)
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="credit-{uscc.upper()}.json"'
    return response


@router.get("/grades", response=list[GradeOut], summary="Grades of the enterprises visible to you")
@paginate(LimitOffsetPagination)
def grade_list(request: HttpRequest, filters: Query[GradeFilterQuery]) -> Any:
    return selectors.grade_list(actor=request.user, filters=selectors.GradeFilters(**filters.dict()))


@router.get("/policy", response={200: PolicyOut, 404: dict}, summary="The scoring policy in force")
def policy_current(request: HttpRequest) -> Any:
    return selectors.policy_get(actor=request.user)


@router.get("/policies", response=list[PolicyOut], summary="Every policy version")
@paginate(LimitOffsetPagination)
def policy_list(request: HttpRequest) -> Any:
    return selectors.policy_list(actor=request.user)


@router.get("/policies/{version}", response={200: PolicyOut, 404: dict}, summary="One policy version")
def policy_get(request: HttpRequest, version: int) -> Any:
    return selectors.policy_get(actor=request.user, version=version)


@router.post("/policies", response={201: PolicyOut, **ERRORS}, summary="Issue a new policy version")
def policy_create(request: HttpRequest, payload: PolicyIn) -> Any:
    return Status(201, services.credit_policy_create(actor=request.user, rules=payload.rules, note=payload.note))


@router.get("/applications", response=list[ApplicationOut], summary="Objections and repairs visible to you")
@paginate(LimitOffsetPagination)
def application_list(request: HttpRequest, filters: Query[ApplicationFilterQuery]) -> Any:
    return selectors.application_list(actor=request.user, filters=selectors.ApplicationFilters(**filters.dict()))


@router.post(
    "/applications", response={201: ApplicationOut, **ERRORS}, summary="Object to an event, or apply for repair"
)
def application_submit(request: HttpRequest, payload: ApplicationIn) -> Any:
    return Status(201, services.credit_application_submit(actor=request.user, **payload.dict()))


@router.get("/applications/{application_id}", response={200: ApplicationOut, 404: dict}, summary="One application")
def application_get(request: HttpRequest, application_id: int) -> Any:
    return selectors.application_get(actor=request.user, application_id=application_id)


@router.post(
    "/applications/{application_id}/decision", response={200: ApplicationOut, **ERRORS}, summary="Decide, with reasons"
)
def application_decide(request: HttpRequest, application_id: int, payload: DecisionIn) -> Any:
    return services.credit_application_decide(actor=request.user, application_id=application_id, **payload.dict())


@router.get("/peer-zones", response=list[PeerZoneOut], summary="Registered peer zones")
@paginate(LimitOffsetPagination)
def peer_zone_list(request: HttpRequest) -> Any:
    return selectors.peer_zone_list(actor=request.user)


@router.post("/peer-zones", response={201: PeerZoneOut, **ERRORS}, summary="Register a peer zone and its key")
def peer_zone_register(request: HttpRequest, payload: PeerZoneIn) -> Any:
    return Status(201, services.peer_zone_register(actor=request.user, **payload.dict()))


@router.patch("/peer-zones/{zone_id}", response={200: PeerZoneOut, **ERRORS}, summary="Change a peer zone")
def peer_zone_update(request: HttpRequest, zone_id: str, payload: PeerZonePatch) -> Any:
    return services.peer_zone_update(actor=request.user, zone_id=zone_id, values=payload.dict(exclude_unset=True))


@router.post(
    "/import",
    response={201: RecognisedRecordOut, **ERRORS},
    summary="Import a peer zone's signed credit record (the request body is the record file, unchanged)",
)
def record_import(request: HttpRequest) -> Any:
    return Status(201, services.credit_record_import(actor=request.user, document=request.body))


@router.get("/zone-key", response=ZoneKeyOut, summary="This zone's id and SM2 public key, for peer zones")
def zone_key(request: HttpRequest) -> Any:
    return services.zone_public_key()


@router.get("/publication", response=list[PublicationOut], auth=None, summary="Published A and D grades (public)")
@paginate(LimitOffsetPagination)
def publication(request: HttpRequest, grade: str = "", q: str = "") -> Any:
    return selectors.publication_list(grade=grade, q=q)
