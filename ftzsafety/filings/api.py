"""`/api/v1/filings/…`: file, correct, submit (with automatic pre-review), answer requests for information;
department queues and decisions; revocation, false filings; metrics of parallel review."""

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from ftzsafety.filings import integrations, presenters, selectors, services
from ftzsafety.filings.schemas import (
    AttachmentOut,
    DecisionIn,
    DestinationOut,
    FalseFilingIn,
    FilingCreateIn,
    FilingFilterQuery,
    FilingListItemOut,
    FilingOut,
    FilingTypeOut,
    FilingUpdateIn,
    InformationIn,
    MetricsOut,
    MetricsQuery,
    QueueItemOut,
    ReviewOut,
    RevokeIn,
)

router = Router(tags=["filings"])
ERRORS = {400: dict, 401: dict, 403: dict, 404: dict, 409: dict, 422: dict}


def _detail(request: HttpRequest, filing_id: int) -> dict[str, Any]:
    filing = selectors.filing_get(actor=request.user, filing_id=filing_id)
    certificate = integrations.certificate_of(actor=request.user, filing=filing)
    return presenters.filing_detail(request.user, filing, certificate)


@router.get("/types", response=list[FilingTypeOut], summary="Filing types and the departments that review them")
def filing_types(request: HttpRequest) -> Any:
    types = list(selectors.filing_type_list(actor=request.user))
    rules = list(selectors.review_rule_list(actor=request.user).filter(is_active=True))
    return [
        {
            "code": t.code,
            "name_zh": t.name_zh,
            "name_en": t.name_en,
            "rules": [
                {"department": r.department, "condition": r.condition, "deadline_hours": r.deadline_hours}
                for r in rules
                if r.filing_type_id == t.pk
            ],
        }
        for t in types
    ]


@router.get("/destinations", response=list[DestinationOut], summary="Yards and warehouses in the zone")
def destinations(request: HttpRequest) -> Any:
    return list(selectors.destination_list(actor=request.user))


class PresentedPagination(LimitOffsetPagination):
    """Limit/offset on the queryset, then each row of the page presented as a dict (the page only is loaded)."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request=request, **params)
        present = getattr(request, "_present_row", None)
        if present is not None:
            page["items"] = [present(row) for row in page["items"]]
        return page


@router.get("", response=list[FilingListItemOut], summary="Filings visible to you")
@paginate(PresentedPagination)
def filing_list(request: HttpRequest, filters: Query[FilingFilterQuery]) -> Any:
    request._present_row = presenters.filing_list_item
    return selectors.filing_list(
        actor=request.user,
        filters=selectors.FilingFilters(status=filters.status, filing_type=filters.filing_type, q=filters.q),
    )


@router.post("", response={201: FilingOut, **ERRORS}, summary="Create a draft filing")
def filing_create(request: HttpRequest, payload: FilingCreateIn) -> Any:
    filing = services.filing_create(actor=request.user, filing_type=payload.filing_type, form=payload.form)
    return Status(201, _detail(request, filing.pk))


@router.get(
    "/metrics", response={200: MetricsOut, **ERRORS}, by_alias=True, summary="Parallel review against sequential"
)
def metrics(request: HttpRequest, query: Query[MetricsQuery]) -> Any:
    return selectors.filing_metrics(actor=request.user, date_from=query.date_from, date_to=query.date_to)


def _queue_item(review: Any) -> dict[str, Any]:
    return {
        "review": presenters.review_dict(review),
        "filing_id": review.filing_id,
        "reference": review.filing.reference,
        "filing_type": review.filing.filing_type.code,
        "enterprise_name": review.filing.enterprise.name_zh,
    }


@router.get("/reviews", response={200: list[QueueItemOut], **ERRORS}, summary="A department's review queue")
@paginate(PresentedPagination)
def review_queue(request: HttpRequest, department: str = "", open_only: bool = True) -> Any:
    request._present_row = _queue_item
    return selectors.review_queue(actor=request.user, department=department, open_only=open_only)


@router.post("/reviews/{review_id}/decision", response={200: ReviewOut, **ERRORS}, summary="Decide a review")
def review_decide(request: HttpRequest, review_id: int, payload: DecisionIn) -> Any:
    review = services.review_decide(
        actor=request.user, review_id=review_id, decision=payload.decision, opinion=payload.opinion
    )
    return presenters.review_dict(review)


@router.get("/{filing_id}", response={200: FilingOut, **ERRORS}, summary="One filing")
def filing_get(request: HttpRequest, filing_id: int) -> Any:
    return _detail(request, filing_id)


@router.put("/{filing_id}", response={200: FilingOut, **ERRORS}, summary="Correct a draft or failed filing")
def filing_update(request: HttpRequest, filing_id: int, payload: FilingUpdateIn) -> Any:
    services.filing_update(actor=request.user, filing_id=filing_id, form=payload.form)
    return _detail(request, filing_id)


@router.post("/{filing_id}/attachments", response={201: AttachmentOut, **ERRORS}, summary="Upload a document")
def attachment_add(
    request: HttpRequest,
    filing_id: int,
    file: File[UploadedFile],
    kind: Form[str] = "sds",
    un_number: Form[str] = "",
) -> Any:
    attachment = services.filing_attachment_add(
        actor=request.user, filing_id=filing_id, upload=file, kind=kind, un_number=un_number
    )
    return Status(201, attachment)


@router.post("/{filing_id}/submit", response={200: FilingOut, **ERRORS}, summary="Submit: pre-review, then review")
def filing_submit(request: HttpRequest, filing_id: int) -> Any:
    services.filing_submit(actor=request.user, filing_id=filing_id)
    return _detail(request, filing_id)


@router.post("/{filing_id}/information", response={200: FilingOut, **ERRORS}, summary="Answer a request")
def filing_information(request: HttpRequest, filing_id: int, payload: InformationIn) -> Any:
    services.filing_provide_information(actor=request.user, filing_id=filing_id, response=payload.response)
    return _detail(request, filing_id)


@router.post("/{filing_id}/revoke", response={200: FilingOut, **ERRORS}, summary="Revoke an approved filing")
def filing_revoke(request: HttpRequest, filing_id: int, payload: RevokeIn) -> Any:
    services.filing_revoke(actor=request.user, filing_id=filing_id, reason=payload.reason)
    return _detail(request, filing_id)


@router.post("/{filing_id}/false-filing", response={200: FilingOut, **ERRORS}, summary="Establish a false filing")
def false_filing(request: HttpRequest, filing_id: int, payload: FalseFilingIn) -> Any:
    services.false_filing_establish(actor=request.user, filing_id=filing_id, reasons=payload.reasons, note=payload.note)
    return _detail(request, filing_id)
