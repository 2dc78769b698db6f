"""/api/v1/exchange: the sharing catalogue, ingestion of department datasets, import jobs, the resolution queue."""

import csv
import io
import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema

from ftzsafety.core.errors import DomainError, ValidationFailed
from ftzsafety.exchange import selectors, services
from ftzsafety.exchange.models import ImportJob

router = Router(tags=["exchange"])


class TooLarge(DomainError):
    status = 413
    code = "too_many_records"


class ConfirmIn(Schema):
    enterprise_id: int


class LinkIn(Schema):
    enterprise_id: int


def _job_out(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "dataset": job.dataset,
        "owner": job.owner.code,
        "source": job.source,
        "source_name": job.source_name,
        "actor": job.actor.get_username() if job.actor_id else "",
        "dry_run": job.dry_run,
        "status": job.status,
        "expected": job.expected,
        "counts": {
            "total": job.total,
            "created": job.created,
            "updated": job.updated,
            "unchanged": job.unchanged,
            "rejected": job.rejected,
        },
        "rejected_rows": job.rejected_rows,
        "failure": job.failure,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


@router.get("/catalogue", summary="The sharing catalogue: datasets, owners, classification, fields, readers")
def catalogue(request: HttpRequest) -> dict[str, Any]:
    items = selectors.catalogue(actor=request.user)
    return {"items": items, "count": len(items)}


@router.get("/jobs/{job_id}", summary="One import job: counts and rejected rows")
def job_get(request: HttpRequest, job_id: int) -> dict[str, Any]:
    return _job_out(selectors.import_job_get(actor=request.user, job_id=job_id))


@router.get("/jobs/{job_id}/errors.csv", summary="The rejected rows of an import job as CSV")
def job_errors_csv(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.import_job_get(actor=request.user, job_id=job_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["row", "field", "reason"])
    for problem in job.rejected_rows:
        writer.writerow([problem["row"], problem["field"], problem["reason"]])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


@router.get("/resolution-cases", summary="Reported names awaiting an officer's confirmation")
def resolution_cases(request: HttpRequest) -> dict[str, Any]:
    cases = selectors.resolution_case_list(actor=request.user)
    items = [
        {
            "id": case.pk,
            "reported_name": case.reported_name,
            "status": case.status,
            "candidates": [
                {
                    "enterprise_id": c.enterprise_id,
                    "uscc": c.enterprise.uscc,
                    "name": c.enterprise.name_zh,
                    "score": c.score,
                }
                for c in case.candidates.all()
            ],
        }
        for case in cases
    ]
    return {"items": items, "count": len(items)}


@router.post("/resolution-cases/{case_id}/confirm", summary="Confirm the enterprise a reported name means")
def resolution_confirm(request: HttpRequest, case_id: int, payload: ConfirmIn) -> dict[str, Any]:
    case = services.resolution_confirm(actor=request.user, case_id=case_id, enterprise_id=payload.enterprise_id)
    return {"id": case.pk, "status": case.status, "enterprise_id": case.enterprise_id}


def _pending_out(pending: Any) -> dict[str, Any]:
    return {
        "id": pending.pk,
        "reported_name": pending.reported_name,
        "reported_code": pending.reported_code,
        "first_dataset": pending.first_dataset,
        "status": pending.status,
        "enterprise_id": pending.enterprise_id,
        "rows_linked": pending.rows_linked,
        "linked_at": pending.linked_at.isoformat() if pending.linked_at else None,
    }


@router.get("/pending-registrations", summary="Enterprises named in department data but not registered (yet)")
def pending_list(request: HttpRequest, status: str = "", limit: int = 50, offset: int = 0) -> dict[str, Any]:
    qs = selectors.pending_registration_list(actor=request.user, status=status)
    limit = max(1, min(limit, 500))
    return {"items": [_pending_out(p) for p in qs[offset : offset + limit]], "count": qs.count()}


@router.post("/pending-registrations/relink", summary="Link pending registrations whose enterprise is now registered")
def pending_relink(request: HttpRequest) -> dict[str, Any]:
    report = services.pending_registrations_relink(actor=request.user)
    return {"registrations_linked": report.registrations, "rows_linked": report.rows}


@router.post("/pending-registrations/{pending_id}/link", summary="Resolve a pending registration to an enterprise")
def pending_link(request: HttpRequest, pending_id: int, payload: LinkIn) -> dict[str, Any]:
    pending = services.pending_registration_link(
        actor=request.user, pending_id=pending_id, enterprise_id=payload.enterprise_id
    )
    return _pending_out(pending)


@router.get("/{dataset}/records", summary="Rows of a dataset visible to you")
def records_list(request: HttpRequest, dataset: str, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    from ftzsafety.security.masking import mask_instances

    qs = selectors.dataset_records(actor=request.user, dataset=dataset)
    limit = max(1, min(limit, 500))
    page = list(qs[offset : offset + limit])
    spec_fields = [f.name for f in selectors.dataset_spec(dataset).fields]
    rows = mask_instances(request.user, page, ["id", *spec_fields, "classification", "resolution"])
    for row, obj in zip(rows, page, strict=True):
        row["enterprise_uscc"] = obj.enterprise.uscc if obj.enterprise_id else None
        for key, value in list(row.items()):
            if not isinstance(value, str | int | float | bool | type(None)):
                row[key] = str(value) if not hasattr(value, "isoformat") else value.isoformat()
    return {"items": rows, "count": qs.count()}


@router.post(
    "/{dataset}/records",
    summary="Ingest a JSON array of up to 10,000 rows (above 2,000: queued, 202 with the job to poll)",
)
def records_post(request: HttpRequest, dataset: str) -> dict[str, Any]:
    selectors.dataset_spec(dataset)
    try:
        rows = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as problem:
        raise ValidationFailed.for_fields({"body": [_("The body is not valid JSON: %(p)s") % {"p": problem}]}) from None
    if not isinstance(rows, list):
        raise ValidationFailed.for_fields({"body": [_("Send a JSON array of records.")]})
    if len(rows) > services.MAX_API_ROWS:
        raise TooLarge(
            _("%(n)d records sent; at most %(max)d per call. Split the data into several calls.")
            % {"n": len(rows), "max": services.MAX_API_ROWS},
            extra={"count": len(rows), "max": services.MAX_API_ROWS},
        )
    if len(rows) > services.ASYNC_ROWS:
        job = services.import_enqueue(actor=request.user, dataset=dataset, rows=list(enumerate(rows, start=1)))
        job.refresh_from_db()  # the task may already have run (immediate backend)
        return JsonResponse(_job_out(job), status=202)
    job = services.records_import(actor=request.user, dataset=dataset, rows=enumerate(rows, start=1))
    return _job_out(job)
