"""The audit administrator's pages: search, verify, export. Anyone else gets 403, and the attempt is recorded
(GB/T 22239-2019 §8.1.4.3: denied access is audited)."""

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from ftzsafety.audit import policies, selectors, services
from ftzsafety.audit.forms import RecordSearchForm
from ftzsafety.core.errors import PermissionDenied

PAGE_SIZE = 50


def _require_reader(request: HttpRequest, action: str) -> None:
    if not policies.can_read_trail(request.user):
        services.trail_access_refuse(actor=request.user, action=action, detail={"path": request.path})
        raise PermissionDenied(_("Only the audit administrator may use the audit trail."))


@login_required
@vary_on_headers("HX-Request")
def record_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request, "audit.record.list")
    form = RecordSearchForm(request.GET or None)
    records = selectors.record_list(actor=request.user, filters=form.filters())
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "export_query": request.GET.urlencode()}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "audit/_record_table.html", context)
    return render(request, "audit/record_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def trail_verify(request: HttpRequest) -> HttpResponse:
    """Runs the verification synchronously on POST (about a minute per million records; for larger trails use
    `ftzsafety audit_verify`)."""
    _require_reader(request, "audit.chain.verify")
    result = services.trail_verify(actor=request.user) if request.method == "POST" else None
    context = {
        "result": result,
        "checkpoints": selectors.checkpoint_list(actor=request.user),
        "anchor": selectors.anchor_latest(actor=request.user),
    }
    return render(request, "audit/trail_verify.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterator[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so that spreadsheet programs read the Chinese text as UTF-8
    for row in rows:
        yield writer.writerow(row)


@login_required
def record_export(request: HttpRequest) -> StreamingHttpResponse:
    _require_reader(request, "audit.record.export")
    form = RecordSearchForm(request.GET or None)
    filters = form.filters()
    records = selectors.record_list(actor=request.user, filters=filters)
    rows = services.trail_export(actor=request.user, records=records, filters=filters.as_dict())
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    name = f"audit-{timezone.localtime():%Y%m%d-%H%M%S}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
