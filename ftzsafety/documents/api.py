"""/api/v1/documents: file once (multipart upload), list, read, download, replace, withdraw, record a use."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from ninja import Field, Form, Query, Router, Schema, Status, UploadedFile
from ninja import File as NinjaFile
from ninja.pagination import LimitOffsetPagination, paginate

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.documents import selectors, services
from ftzsafety.documents.models import Document

router = Router(tags=["documents"])
ERRORS = {400: dict, 403: dict, 404: dict, 409: dict, 422: dict}


class DocumentOut(Schema):
    id: int
    enterprise: str
    kind: str
    title: str
    number: str
    issued_by: str
    valid_from: date | None
    valid_until: date | None
    status: str
    version: int
    classification: str
    file_name: str
    content_type: str
    size: int
    sm3: str
    created_at: str

    @staticmethod
    def resolve_enterprise(obj: Document) -> str:
        return obj.enterprise.uscc

    @staticmethod
    def resolve_created_at(obj: Document) -> str:
        return obj.created_at.isoformat()


class DocumentFilterQuery(Schema):
    uscc: str = ""
    kind: str = ""
    include_inactive: bool = False


class WithdrawIn(Schema):
    reason: str


class UseIn(Schema):
    used_by: str
    ref: str


def _date(data: QueryDict, field: str, errors: dict[str, list[str]]) -> date | None:
    raw = (data.get(field) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.setdefault(field, []).append(_("“%(value)s” is not a date; expected YYYY-MM-DD.") % {"value": raw[:20]})
        return None


def _dates(data: QueryDict) -> tuple[date | None, date | None]:
    errors: dict[str, list[str]] = {}
    valid_from = _date(data, "valid_from", errors)
    valid_until = _date(data, "valid_until", errors)
    if errors:
        raise ValidationFailed.for_fields(errors)
    return valid_from, valid_until


def _detail(actor: Any, document: Document) -> dict[str, Any]:
    out = DocumentOut.from_orm(document).dict()
    out["uses"] = [
        {
            "document_id": u.document_id,
            "version": u.document.version,
            "used_by": u.used_by,
            "ref": u.ref,
            "organisation": u.organisation.code if u.organisation_id else "",
            "at": u.created_at.isoformat(),
        }
        for u in selectors.document_uses(actor=actor, document=document)
    ]
    out["history"] = [
        {"id": d.pk, "version": d.version, "status": d.status, "sm3": d.sm3, "created_at": d.created_at.isoformat()}
        for d in selectors.document_history(actor=actor, document=document)
    ]
    return out


@router.get("", response=list[DocumentOut], summary="Documents visible to you (current versions by default)")
@paginate(LimitOffsetPagination)
def document_list(request: HttpRequest, filters: Query[DocumentFilterQuery]) -> Any:
    return selectors.document_list(actor=request.user, **filters.dict())


class DocumentUploadIn(Schema):
    """The multipart fields besides `file`. Dates as YYYY-MM-DD; the service checks every field and the file."""

    uscc: str = ""
    kind: str = Field("", description="safety_licence, business_licence, sds, qualification, emergency_plan, other")
    title: str = ""
    number: str = ""
    issued_by: str = ""
    valid_from: str = Field("", description="YYYY-MM-DD")
    valid_until: str = Field("", description="YYYY-MM-DD")
    classification: str = Field("", description="public, internal or confidential; empty: by kind")


@router.post("", response={201: DocumentOut, **ERRORS}, summary="File a document once (multipart/form-data)")
def document_upload(request: HttpRequest, data: Form[DocumentUploadIn], file: NinjaFile[UploadedFile] = None) -> Any:
    """PDF, PNG, JPEG or WebP (SDS also UTF-8 text), at most 10 MB; the type is read from the content."""
    valid_from, valid_until = _dates(request.POST)
    document = services.document_upload(
        actor=request.user,
        uscc=data.uscc,
        kind=data.kind,
        uploaded=file,
        title=data.title,
        number=data.number,
        issued_by=data.issued_by,
        valid_from=valid_from,
        valid_until=valid_until,
        classification=data.classification or None,
    )
    return Status(201, document)


@router.get("/{document_id}", response={200: dict, 404: dict}, summary="One document with its uses and versions")
def document_get(request: HttpRequest, document_id: int) -> Any:
    return _detail(request.user, selectors.document_get(actor=request.user, document_id=document_id))


@router.get("/{document_id}/file", summary="Download the file (audited)")
def document_file(request: HttpRequest, document_id: int) -> HttpResponse:
    from ftzsafety.documents.views import file_response

    document, data = services.document_download(actor=request.user, document_id=document_id)
    return file_response(document, data)


class DocumentReplaceIn(Schema):
    """Fields left out are carried over from the current version, except the validity dates."""

    number: str | None = None
    issued_by: str | None = None
    title: str | None = None
    valid_from: str = Field("", description="YYYY-MM-DD")
    valid_until: str = Field("", description="YYYY-MM-DD")


@router.post("/{document_id}/replace", response={201: DocumentOut, **ERRORS}, summary="Replace with a newer version")
def document_replace(
    request: HttpRequest, document_id: int, data: Form[DocumentReplaceIn], file: NinjaFile[UploadedFile] = None
) -> Any:
    valid_from, valid_until = _dates(request.POST)
    document = services.document_replace(
        actor=request.user,
        document_id=document_id,
        uploaded=file,
        number=data.number,
        issued_by=data.issued_by,
        title=data.title,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    return Status(201, document)


@router.post("/{document_id}/withdraw", response={200: DocumentOut, **ERRORS}, summary="Withdraw (audited)")
def document_withdraw(request: HttpRequest, document_id: int, payload: WithdrawIn) -> Any:
    return services.document_withdraw(actor=request.user, document_id=document_id, reason=payload.reason)


@router.post("/{document_id}/uses", response={201: dict, **ERRORS}, summary="Record where the document was used")
def document_use(request: HttpRequest, document_id: int, payload: UseIn) -> Any:
    use = services.document_use_record(
        actor=request.user, document=document_id, used_by=payload.used_by, ref=payload.ref
    )
    return Status(
        201,
        {"id": use.pk, "document_id": use.document_id, "used_by": use.used_by, "ref": use.ref,
         "at": use.created_at.isoformat()},
    )  # fmt: skip
