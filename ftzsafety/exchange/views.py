"""Exchange pages: the sharing catalogue, import jobs, the resolution queue. Rules live in services/policies."""

import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ftzsafety.core.errors import DomainError, PermissionDenied
from ftzsafety.exchange import policies, selectors, services
from ftzsafety.exchange.choices import JobSource, JobStatus
from ftzsafety.exchange.datasets import DATASETS
from ftzsafety.exchange.file_formats import FileRefused, read_rows

UPLOAD_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".xlsx")


def _require_government(request: HttpRequest) -> None:
    if not policies.can_view_exchange(request.user):
        raise PermissionDenied(_("The data exchange is for government users."))


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/catalogue.html", {"datasets": selectors.catalogue(actor=request.user)})


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    _require_government(request)
    jobs = selectors.import_job_list(actor=request.user, dataset=request.GET.get("dataset", ""))
    page = Paginator(jobs, 25).get_page(request.GET.get("page"))
    return render(request, "exchange/job_list.html", {"page": page})


def _job_context(job: object) -> dict:
    return {"job": job, "busy": job.status in (JobStatus.QUEUED, JobStatus.RUNNING)}


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.import_job_get(actor=request.user, job_id=job_id)
    return render(request, "exchange/job_detail.html", _job_context(job))


@login_required
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The status and counts of a job, polled by htmx while it is queued or running."""
    job = selectors.import_job_get(actor=request.user, job_id=job_id)
    return render(request, "exchange/_job_progress.html", _job_context(job))


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a department file. Small files are imported at once; above services.ASYNC_ROWS rows the import is
    queued as a task and the job page shows its progress."""
    _require_government(request)
    writable = [spec for spec in DATASETS.values() if policies.can_write(request.user, spec)]
    if request.method == "POST":
        slug = request.POST.get("dataset", "")
        upload = request.FILES.get("file")
        spec = next((s for s in writable if s.slug == slug), None)
        suffix = Path(upload.name).suffix.lower() if upload else ""
        if spec is None:
            messages.error(request, _("Choose a dataset your department writes."))
        elif upload is None:
            messages.error(request, _("Choose a file to import."))
        elif suffix not in UPLOAD_SUFFIXES:
            messages.error(
                request, _("%(file)s: unknown file type; use .csv, .jsonl or .xlsx.") % {"file": upload.name}
            )
        else:
            path = services.upload_path(f"upload-{uuid.uuid4().hex}{suffix}")
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                rows = read_rows(spec, path)
            except FileRefused as problem:
                path.unlink(missing_ok=True)
                messages.error(request, str(problem))
            else:
                dry_run = bool(request.POST.get("dry_run"))
                try:
                    if len(rows) > services.ASYNC_ROWS:
                        job = services.import_enqueue(
                            actor=request.user, dataset=spec.slug, upload=path, source=JobSource.FILE,
                            source_name=upload.name, dry_run=dry_run, expected=len(rows),
                        )  # fmt: skip
                        messages.info(request, _("The import is queued; this page shows its progress."))
                    else:
                        try:
                            job = services.records_import(
                                actor=request.user, dataset=spec.slug, rows=rows, source=JobSource.FILE,
                                source_name=upload.name, dry_run=dry_run,
                            )  # fmt: skip
                        finally:
                            path.unlink(missing_ok=True)
                except DomainError as problem:
                    messages.error(request, problem.message)
                else:
                    return redirect(reverse("exchange:job", args=[job.pk]))
    return render(
        request,
        "exchange/import.html",
        {"datasets": writable, "async_rows": services.ASYNC_ROWS, "selected": request.POST.get("dataset", "")},
    )


@login_required
def resolution_queue(request: HttpRequest) -> HttpResponse:
    _require_government(request)
    cases = list(selectors.resolution_case_list(actor=request.user)[:100])
    pending = selectors.pending_registration_list(actor=request.user, status="open")[:100]
    return render(
        request,
        "exchange/resolution_queue.html",
        {"cases": cases, "pending": pending, "can_confirm": policies.can_confirm(request.user)},
    )


@login_required
@require_POST
def resolution_confirm(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        enterprise_id = int(request.POST.get("enterprise_id", ""))
        case = services.resolution_confirm(actor=request.user, case_id=case_id, enterprise_id=enterprise_id)
    except ValueError:
        messages.error(request, _("Choose one of the candidates listed."))
    except DomainError as problem:
        if problem.status == 404:
            raise
        messages.error(request, problem.message)
    else:
        messages.success(
            request, _("“%(name)s” is now linked; waiting rows were updated.") % {"name": case.reported_name}
        )
    return redirect("exchange:resolution")


@login_required
@require_POST
def pending_link(request: HttpRequest, pending_id: int) -> HttpResponse:
    """Resolve a pending registration to an enterprise, named by its credit code."""
    from ftzsafety.enterprises.selectors import enterprise_get

    try:
        enterprise = enterprise_get(actor=request.user, uscc=request.POST.get("uscc", "").strip().upper())
        pending = services.pending_registration_link(
            actor=request.user, pending_id=pending_id, enterprise_id=enterprise.pk
        )
    except DomainError as problem:
        if (
            problem.status == 404
            and not selectors.pending_registration_list(actor=request.user).filter(pk=pending_id).exists()
        ):
            raise
        messages.error(request, problem.message)
    else:
        messages.success(
            request,
            _("“%(name)s” is now linked to %(enterprise)s; %(rows)d waiting rows were linked.")
            % {"name": pending.reported_name, "enterprise": enterprise.name_zh, "rows": pending.rows_linked},
        )
    return redirect("exchange:resolution")


@login_required
@require_POST
def pending_relink(request: HttpRequest) -> HttpResponse:
    try:
        report = services.pending_registrations_relink(actor=request.user)
    except DomainError as problem:
        messages.error(request, problem.message)
    else:
        messages.success(
            request,
            _("%(registrations)d pending registrations linked, %(rows)d waiting rows updated.")
            % {"registrations": report.registrations, "rows": report.rows},
        )
    return redirect("exchange:resolution")
