"""/api/v1/hazards/…: reports, the loop's transitions, routing rules, counts, self-check lists, notifications."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from ftzsafety.hazards import selectors, services
from ftzsafety.hazards.ratelimit import public_report_allowed
from ftzsafety.hazards.routing import routing_reason
from ftzsafety.hazards.schemas import (
    AcceptIn,
    AssignIn,
    ChecklistOut,
    CountsOut,
    DispatchIn,
    EventOut,
    HazardFilterQuery,
    HazardIn,
    HazardOut,
    NotificationOut,
    PublicHazardIn,
    PublicReceiptOut,
    RerouteIn,
    RoutingRuleIn,
    RoutingRuleOut,
    SelfCheckIn,
    SelfCheckOut,
    VerifyIn,
)

router = Router(tags=["hazards"])
ERRORS = {400: dict, 403: dict, 404: dict, 409: dict, 422: dict}


@router.get("", response=list[HazardOut], summary="Hazards visible to you")
@paginate(LimitOffsetPagination)
def hazard_list(request: HttpRequest, filters: Query[HazardFilterQuery]) -> Any:
    return selectors.hazard_list(actor=request.user, filters=selectors.HazardFilters(**filters.dict()))


@router.post("", response={201: HazardOut, **ERRORS}, summary="Report a hazard (enterprise, officer, agency)")
def hazard_report(request: HttpRequest, payload: HazardIn) -> Any:
    hazard = services.hazard_report(actor=request.user, **payload.dict())
    return Status(201, hazard)


@router.post(
    "/public",
    auth=None,
    response={201: PublicReceiptOut, 422: dict, 429: dict},
    summary="Report a hazard without an account (multipart form; rate-limited per address)",
)
def hazard_report_public(
    request: HttpRequest, payload: Form[PublicHazardIn], photos: File[list[UploadedFile]] = None
) -> Any:
    if not public_report_allowed(request):
        return Status(
            429,
            {
                "code": "rate_limited",
                "message": _("Too many reports from your address. Try again later."),
                "detail": {},
            },
        )
    hazard = services.hazard_report(actor=None, photos=list(photos or []), **payload.dict())
    return Status(
        201,
        {
            "code": hazard.code,
            "routing_reason": routing_reason(hazard.routing_basis, hazard.department),
            "message": _("Thank you. Keep the reference number to ask about your report."),
        },
    )


@router.get("/counts", response=list[CountsOut], summary="Open, overdue and major hazards by department")
def hazard_counts(request: HttpRequest) -> Any:
    return selectors.hazard_counts_by_department(actor=request.user)


@router.get("/routing-rules", response=list[RoutingRuleOut], summary="The routing table")
def routing_rule_list(request: HttpRequest) -> Any:
    return selectors.routing_rule_list(actor=request.user)


@router.post("/routing-rules", response={201: RoutingRuleOut, **ERRORS}, summary="Add a routing rule")
def routing_rule_create(request: HttpRequest, payload: RoutingRuleIn) -> Any:
    data = payload.dict()
    rule = services.routing_rule_save(
        actor=request.user,
        category=data["category"],
        department_code=data["department"],
        area_code=data["area"],
        industry_section=data["industry_section"],
        is_active=data["is_active"],
        note=data["note"],
    )
    return Status(201, rule)


@router.put("/routing-rules/{rule_id}", response={200: RoutingRuleOut, **ERRORS}, summary="Change a routing rule")
def routing_rule_update(request: HttpRequest, rule_id: int, payload: RoutingRuleIn) -> Any:
    data = payload.dict()
    return services.routing_rule_save(
        actor=request.user,
        rule_id=rule_id,
        category=data["category"],
        department_code=data["department"],
        area_code=data["area"],
        industry_section=data["industry_section"],
        is_active=data["is_active"],
        note=data["note"],
    )


@router.get("/checklists", response=list[ChecklistOut], summary="Self-check lists (current versions)")
def checklist_list(request: HttpRequest) -> Any:
    return selectors.checklist_template_list(actor=request.user).prefetch_related("items")


@router.post(
    "/self-checks", response={201: SelfCheckOut, **ERRORS}, summary="Submit a self-check (failed items become hazards)"
)
def self_check_submit(request: HttpRequest, payload: SelfCheckIn) -> Any:
    answers = {a.item_id: {"result": a.result, "note": a.note} for a in payload.answers}
    check = services.self_check_submit(actor=request.user, template_id=payload.template_id, answers=answers)
    return Status(201, selectors.self_check_get(actor=request.user, self_check_id=check.pk))


@router.get("/notifications", response=list[NotificationOut], summary="Your notifications")
@paginate(LimitOffsetPagination)
def notification_list(request: HttpRequest, unread: bool = False) -> Any:
    from ftzsafety.hazards.notifications import notification_text

    rows = selectors.notification_list(actor=request.user, unread_only=unread)
    return [
        {
            "id": n.pk,
            "kind": n.kind,
            "hazard_id": n.hazard_id,
            "text": notification_text(n.kind, n.hazard.code if n.hazard else ""),
            "created_at": n.created_at,
            "read_at": n.read_at,
        }
        for n in rows
    ]


@router.get("/{hazard_id}", response={200: HazardOut, 404: dict}, summary="One hazard")
def hazard_get(request: HttpRequest, hazard_id: int) -> Any:
    return selectors.hazard_get(actor=request.user, hazard_id=hazard_id)


@router.get("/{hazard_id}/events", response={200: list[EventOut], 404: dict}, summary="The hazard's timeline")
def hazard_events(request: HttpRequest, hazard_id: int) -> Any:
    hazard = selectors.hazard_get(actor=request.user, hazard_id=hazard_id, record_read=False)
    return [
        {"kind": e.kind, "at": e.at, "actor": e.actor_name, "note": e.note, "data": e.data}
        for e in selectors.hazard_events(actor=request.user, hazard=hazard)
    ]


@router.post("/{hazard_id}/assign", response={200: HazardOut, **ERRORS}, summary="Assign an officer (or take it)")
def hazard_assign(request: HttpRequest, hazard_id: int, payload: AssignIn) -> Any:
    return services.hazard_assign(actor=request.user, hazard_id=hazard_id, officer_id=payload.officer_id)


@router.post("/{hazard_id}/reroute", response={200: HazardOut, **ERRORS}, summary="Send to another department")
def hazard_reroute(request: HttpRequest, hazard_id: int, payload: RerouteIn) -> Any:
    return services.hazard_reroute(
        actor=request.user, hazard_id=hazard_id, department_code=payload.department, reason=payload.reason
    )


@router.post("/{hazard_id}/dispatch", response={200: HazardOut, **ERRORS}, summary="Accept or decline a dispatch")
def hazard_dispatch(request: HttpRequest, hazard_id: int, payload: DispatchIn) -> Any:
    return services.hazard_dispatch_respond(actor=request.user, hazard_id=hazard_id, accept=payload.accept)


@router.post("/{hazard_id}/verify", response={200: HazardOut, **ERRORS}, summary="Confirm or dismiss")
def hazard_verify(request: HttpRequest, hazard_id: int, payload: VerifyIn) -> Any:
    return services.hazard_verify(actor=request.user, hazard_id=hazard_id, **payload.dict())


@router.post(
    "/{hazard_id}/rectification",
    response={200: HazardOut, **ERRORS},
    summary="Submit the rectification with evidence (multipart form)",
)
def rectification_submit(
    request: HttpRequest, hazard_id: int, note: Form[str], photos: File[list[UploadedFile]] = None
) -> Any:
    return services.rectification_submit(actor=request.user, hazard_id=hazard_id, note=note, photos=list(photos or []))


@router.post("/{hazard_id}/acceptance", response={200: HazardOut, **ERRORS}, summary="Accept, or reopen")
def rectification_accept(request: HttpRequest, hazard_id: int, payload: AcceptIn) -> Any:
    return services.rectification_accept(actor=request.user, hazard_id=hazard_id, **payload.dict())
