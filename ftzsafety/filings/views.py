"""Filings pages: the enterprise's list, new filing and filing page (findings, per-department status, timeline);
the department review queue; the metrics chart. Views parse, call a service or selector, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ftzsafety.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from ftzsafety.filings import integrations, policies, presenters, selectors, services
from ftzsafety.filings.choices import (
    EDITABLE_STATUSES,
    AttachmentKind,
    FilingStatus,
    FilingTypeCode,
    ReviewStatus,
)
from ftzsafety.filings.forms import (
    GOODS_ROWS,
    DecisionForm,
    GoodsFormSet,
    apply_errors,
    form_classes,
    initial_from,
    to_payload,
)
from ftzsafety.filings.kinds import kind_for
from ftzsafety.filings.services import FALSE_FILING_REASONS

PAGE_SIZE = 20


@login_required
def filing_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("filings.view_filing"):
        raise PermissionDenied(_("You do not have permission to do this."))
    filters = selectors.FilingFilters(
        status=request.GET.get("status", ""), filing_type=request.GET.get("type", ""), q=request.GET.get("q", "")[:60]
    )
    qs = selectors.filing_list(actor=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "filings/filing_list.html",
        {
            "page": page,
            "filters": filters,
            "is_filtered": any([filters.status, filters.filing_type, filters.q]),
            "statuses": FilingStatus.choices,
            "types": list(selectors.filing_type_list(actor=request.user)),
            "can_file": policies.can_file(request.user),
            "can_review": policies.can_review_anything(request.user),
            "can_view_metrics": policies.can_view_metrics(request.user),
        },
    )


def _form_context(request: HttpRequest, type_code: str, data: Any = None, initial: dict | None = None) -> dict:
    form_class = form_classes(type_code)
    kwargs: dict[str, Any] = {}
    if type_code == FilingTypeCode.DG_PRE_ARRIVAL:
        kwargs["destinations"] = list(selectors.destination_list(actor=request.user))
    form = (
        form_class(data, initial=initial or {}, **kwargs)
        if data is not None
        else form_class(initial=initial or {}, **kwargs)
    )
    goods = None
    if type_code == FilingTypeCode.DG_PRE_ARRIVAL:
        lines = list((initial or {}).get("goods", []))
        rows = lines + [{} for _ in range(max(GOODS_ROWS - len(lines), 1))]
        goods = GoodsFormSet(data, prefix="goods") if data is not None else GoodsFormSet(prefix="goods", initial=rows)
    return {"form": form, "goods": goods, "type_code": type_code}


def _save(request: HttpRequest, type_code: str, filing: Any = None) -> tuple[Any, dict]:
    context = _form_context(request, type_code, data=request.POST)
    form, goods = context["form"], context["goods"]
    valid = form.is_valid() and (goods is None or goods.is_valid())
    if not valid:
        return None, context
    payload = to_payload(type_code, form, goods)
    try:
        if filing is None:
            saved = services.filing_create(actor=request.user, filing_type=type_code, form=payload)
        else:
            saved = services.filing_update(actor=request.user, filing_id=filing.pk, form=payload)
    except ValidationFailed as failed:
        context["other_errors"] = apply_errors(failed.fields, form, goods)
        return None, context
    return saved, context


@login_required
def filing_new(request: HttpRequest, type_code: str) -> HttpResponse:
    if not policies.can_file(request.user):
        raise PermissionDenied(_("Only the enterprise's own staff may file and correct its filings."))
    filing_type = selectors.filing_type_get(actor=request.user, code=type_code)
    if request.method == "POST":
        saved, context = _save(request, type_code)
        if saved is not None:
            messages.success(
                request, _("Draft %(ref)s saved. Add the documents, then submit.") % {"ref": saved.reference}
            )
            return redirect("filings:detail", filing_id=saved.pk)
    else:
        context = _form_context(request, type_code)
    context["filing_type"] = filing_type
    return render(request, "filings/filing_form.html", context)


@login_required
def filing_edit(request: HttpRequest, filing_id: int) -> HttpResponse:
    filing = selectors.filing_get(actor=request.user, filing_id=filing_id)
    if not policies.can_file(request.user, filing) or filing.status not in EDITABLE_STATUSES:
        raise PermissionDenied(_("This filing cannot be changed now."))
    type_code = filing.filing_type.code
    if request.method == "POST":
        saved, context = _save(request, type_code, filing)
        if saved is not None:
            messages.success(request, _("Changes saved."))
            return redirect("filings:detail", filing_id=filing.pk)
    else:
        context = _form_context(
            request,
            type_code,
            initial=initial_from(type_code, filing.form, (filing.contact_name, filing.contact_phone)),
        )
    context.update(filing_type=filing.filing_type, filing=filing)
    return render(request, "filings/filing_form.html", context)


def _detail_context(request: HttpRequest, filing: Any) -> dict[str, Any]:
    actor = request.user
    certificate = integrations.certificate_of(actor=actor, filing=filing)
    data = presenters.filing_detail(actor, filing, certificate)
    reviews = list(filing.reviews.all())
    decidable = [r for r in reviews if r.status == ReviewStatus.PENDING and policies.can_decide(actor, r)]
    goods = filing.form.get("goods", [])
    sds_by_number = {a.un_number: a for a in filing.attachments.all() if a.kind == AttachmentKind.SDS}
    fields = form_classes(filing.filing_type.code)().fields
    labels = {name: field.label for name, field in fields.items()}
    summary = []
    for key, value in filing.form.items():
        if key in ("goods",):
            continue
        value = _display_value(key, value, fields.get(key))
        if isinstance(value, list):
            value = "; ".join(
                ", ".join(str(v) for v in item.values()) if isinstance(item, dict) else str(item) for item in value
            )
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        summary.append((labels.get(key, key), value))
    if filing.filing_type.code == FilingTypeCode.DG_PRE_ARRIVAL:
        summary.append((labels["emergency_contact_name"], data["contact_name"]))
        summary.append((labels["emergency_contact_phone"], data["contact_phone"]))
    return {
        "filing": filing,
        "data": data,
        "summary": summary,
        "reviews": reviews,
        "findings": selectors.latest_findings(filing),
        "certificate": certificate,
        "can_file": policies.can_file(actor, filing),
        "editable": filing.status in EDITABLE_STATUSES,
        "decidable": decidable,
        "decision_form": DecisionForm(),
        "can_revoke": policies.can_revoke(actor) and filing.status == FilingStatus.APPROVED,
        "can_establish_false": policies.can_establish_false_filing(actor)
        and filing.status in (FilingStatus.APPROVED, FilingStatus.REJECTED, FilingStatus.REVOKED)
        and not filing.false_filing,
        "false_reasons": [(k, v[0], v[1]) for k, v in FALSE_FILING_REASONS.items()],
        "goods": goods,
        "sds_rows": [
            {"un_number": n, "attachment": sds_by_number.get(n)} for n in dict.fromkeys(g["un_number"] for g in goods)
        ],
        "attachment_kinds": kind_for(filing.filing_type.code).attachment_kinds,
        "other_attachments": [a for a in filing.attachments.all() if a.kind != AttachmentKind.SDS],
        "file_documents": _file_documents(actor, filing),
        "in_review": filing.status in (FilingStatus.IN_REVIEW, FilingStatus.INFO_REQUESTED, FilingStatus.RESUBMITTED),
    }


def _display_value(key: str, value: Any, field: Any) -> Any:
    """A form value as people read it: choice labels, local times, destination names."""
    from django.utils import formats, timezone
    from django.utils.dateparse import parse_datetime

    if key == "eta" and value:
        moment = parse_datetime(value)
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else value
    if key == "destination" and value:
        destination = selectors.destination_by_code(value)
        return f"{destination.name} ({destination.get_kind_display()})" if destination else value
    choices = dict(getattr(field, "choices", []) or [])
    if choices and isinstance(value, list):
        return [str(choices.get(v, v)) for v in value]
    if choices and isinstance(value, str):
        return str(choices.get(value, value))
    return value


def _file_documents(actor: Any, filing: Any) -> list[Any]:
    """Current documents in the enterprise's file that could stand for this filing's licence scan."""
    if filing.filing_type.code != FilingTypeCode.SAFETY_QUALIFICATION or not policies.can_file(actor, filing):
        return []
    from ftzsafety.documents.selectors import document_list

    kinds = services.DOCUMENT_KINDS_FOR[AttachmentKind.LICENCE]
    return [d for d in document_list(actor=actor, uscc=filing.enterprise.uscc) if d.kind in kinds][:20]


@login_required
def filing_detail(request: HttpRequest, filing_id: int) -> HttpResponse:
    htmx = getattr(request, "htmx", None)
    refresh = bool(htmx) and request.GET.get("fragment") == "reviews"
    # The open page refreshes the departments' statuses every 15 s: one audited read per opening, not per refresh.
    filing = selectors.filing_get(actor=request.user, filing_id=filing_id, record_read=not refresh)
    context = _detail_context(request, filing)
    if refresh:
        return render(request, "filings/_reviews.html", context)
    return render(request, "filings/filing_detail.html", context)


def _back(filing_id: int) -> HttpResponse:
    return redirect("filings:detail", filing_id=filing_id)


def _run(request: HttpRequest, filing_id: int, action: Any, success: str) -> HttpResponse:
    try:
        action()
    except (ValidationFailed, DomainError) as problem:
        if isinstance(problem, NotFound):
            raise
        messages.error(request, problem.message)
    else:
        messages.success(request, success)
    return _back(filing_id)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, filing_id: int) -> HttpResponse:
    return _run(
        request,
        filing_id,
        lambda: services.filing_attachment_add(
            actor=request.user,
            filing_id=filing_id,
            upload=request.FILES.get("file"),
            kind=request.POST.get("kind", ""),
            un_number=request.POST.get("un_number", ""),
        ),
        _("Document uploaded."),
    )


@login_required
@require_POST
def document_use(request: HttpRequest, filing_id: int) -> HttpResponse:
    try:
        document_id = int(request.POST.get("document", ""))
    except ValueError:
        messages.error(request, _("Choose a document."))
        return _back(filing_id)
    return _run(
        request,
        filing_id,
        lambda: services.filing_document_use(
            actor=request.user,
            filing_id=filing_id,
            document_id=document_id,
            un_number=request.POST.get("un_number", ""),
        ),
        _("The document from your file is attached; it was not uploaded again."),
    )


@login_required
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    from ftzsafety import audit

    attachment = selectors.attachment_get(actor=request.user, attachment_id=attachment_id)
    if attachment.document_ref:  # filed once in the enterprise's documents: served from there
        return redirect("documents:file", document_id=int(attachment.document_ref))
    audit.record_access(actor=request.user, target=attachment)
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def filing_submit(request: HttpRequest, filing_id: int) -> HttpResponse:
    try:
        filing = services.filing_submit(actor=request.user, filing_id=filing_id)
    except DomainError as problem:
        if isinstance(problem, NotFound):
            raise
        messages.error(request, problem.message)
        return _back(filing_id)
    if filing.status == FilingStatus.PREREVIEW_FAILED:
        messages.error(request, _("Pre-review found problems that block the filing. Correct them and submit again."))
    else:
        messages.success(request, _("Pre-review passed. The departments are reviewing the filing in parallel."))
    return _back(filing_id)


@login_required
@require_POST
def filing_information(request: HttpRequest, filing_id: int) -> HttpResponse:
    return _run(
        request,
        filing_id,
        lambda: services.filing_provide_information(
            actor=request.user, filing_id=filing_id, response=request.POST.get("response", "")
        ),
        _("Your answer was sent to the departments."),
    )


@login_required
@require_POST
def review_decide(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_get(actor=request.user, review_id=review_id)
    return _run(
        request,
        review.filing_id,
        lambda: services.review_decide(
            actor=request.user,
            review_id=review_id,
            decision=request.POST.get("decision", ""),
            opinion=request.POST.get("opinion", ""),
        ),
        _("Decision recorded."),
    )


@login_required
@require_POST
def filing_revoke(request: HttpRequest, filing_id: int) -> HttpResponse:
    return _run(
        request,
        filing_id,
        lambda: services.filing_revoke(actor=request.user, filing_id=filing_id, reason=request.POST.get("reason", "")),
        _("The filing and its certificate were revoked."),
    )


@login_required
@require_POST
def false_filing(request: HttpRequest, filing_id: int) -> HttpResponse:
    return _run(
        request,
        filing_id,
        lambda: services.false_filing_establish(
            actor=request.user,
            filing_id=filing_id,
            reasons=request.POST.getlist("reasons"),
            note=request.POST.get("note", ""),
        ),
        _("The false filing was established and reported to credit grading."),
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    department = request.GET.get("department", "")
    open_only = request.GET.get("all") != "1"
    qs = selectors.review_queue(actor=request.user, department=department, open_only=open_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "filings/review_queue.html",
        {
            "page": page,
            "department": department or policies.department_of(request.user),
            "department_name": presenters.department_name(department or policies.department_of(request.user)),
            "open_only": open_only,
        },
    )


@login_required
def metrics(request: HttpRequest) -> HttpResponse:
    date_from, date_to = parse_date(request.GET.get("from", "") or ""), parse_date(request.GET.get("to", "") or "")
    data = selectors.filing_metrics(actor=request.user, date_from=date_from, date_to=date_to)
    chart = {
        "labels": [item["reference"] for item in data["items"]],
        "parallel": [item["parallel_hours"] for item in data["items"]],
        "sequential": [item["sequential_hours"] for item in data["items"]],
        "parallel_label": _("Parallel (actual) hours"),
        "sequential_label": _("Sequential equivalent hours"),
    }
    return render(
        request,
        "filings/metrics.html",
        {"data": data, "chart": chart, "date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", "")},
    )


@login_required
def enterprise_panel(request: HttpRequest, uscc: str) -> HttpResponse:
    """The filings panel on the enterprise profile (an htmx fragment): the latest filings the viewer may see."""
    from ftzsafety.enterprises.selectors import enterprise_get

    enterprise = enterprise_get(actor=request.user, uscc=uscc)
    filings = list(selectors.filing_list(actor=request.user).filter(enterprise=enterprise)[:10])
    return render(request, "filings/_enterprise_panel.html", {"enterprise": enterprise, "filings": filings})
