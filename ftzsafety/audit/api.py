"""`/api/v1/audit/…`: the audit administrator's search and verification. Anyone else gets 403 and the attempt is
recorded (GB/T 22239-2019 §8.1.4.3)."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import LimitOffsetPagination, paginate

from ftzsafety.audit import policies, selectors, services
from ftzsafety.audit.schemas import AuditRecordFilterQuery, AuditRecordOut, VerifyOut
from ftzsafety.core.errors import PermissionDenied

router = Router(tags=["audit"])


def _require_reader(request: HttpRequest, action: str) -> None:
    if not policies.can_read_trail(request.user):
        services.trail_access_refuse(actor=request.user, action=action, detail={"path": request.path, "via": "api"})
        raise PermissionDenied(_("Only the audit administrator may use the audit trail."))


@router.get("/records", response={200: list[AuditRecordOut], 403: dict}, summary="Search the audit trail")
@paginate(LimitOffsetPagination)
def record_list(request: HttpRequest, filters: Query[AuditRecordFilterQuery]) -> Any:
    _require_reader(request, "audit.record.list")
    values = {key: value for key, value in filters.dict().items() if value}
    return selectors.record_list(actor=request.user, filters=selectors.RecordFilters(**values))


@router.post("/verify", response={200: VerifyOut, 403: dict}, summary="Verify the audit chain")
def trail_verify(request: HttpRequest) -> Any:
    _require_reader(request, "audit.chain.verify")
    result = services.trail_verify(actor=request.user)
    return {
        "ok": result.ok,
        "count": result.count,
        "total": result.total,
        "problem": result.problem,
        "record_id": result.first_bad_id,
        "action": result.action,
        "occurred_at": result.occurred_at,
        "message": result.message(),
        "anchor_record_id": result.start.record_id,
    }
