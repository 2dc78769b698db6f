"""Dangerous-goods pages: parse the request, call a selector or service, render. Rules live in selectors, services
and policies; DomainErrors become error pages in portal.errors.DomainErrorMiddleware."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from ftzsafety.core.errors import Conflict, PermissionDenied, ValidationFailed
from ftzsafety.dangerous_goods import policies, selectors, services
from ftzsafety.dangerous_goods.forms import CatalogueImportForm, SearchForm, UnitForm, segregation_rows

PAGE_SIZE = 25
_ITEM_ERROR = re.compile(r"^items\[(\d+)\]")


def _datasets(request: HttpRequest) -> list:
    return list(selectors.reference_dataset_list(actor=request.user))


@login_required
@vary_on_headers("HX-Request")
def lookup(request: HttpRequest) -> HttpResponse:
    """Search the UN list; an htmx request (live search, page links) gets only the results fragment."""
    form = SearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.dangerous_good_search(actor=request.user, q=q) if q else None
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page")) if results is not None else None
    context = {"form": form, "q": q, "page": page}
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "dangerous_goods/_search_results.html", context)
    context["datasets"] = _datasets(request)
    return render(request, "dangerous_goods/lookup.html", context)


@login_required
def entry(request: HttpRequest, number: str) -> HttpResponse:
    detail = selectors.dangerous_good_detail(actor=request.user, un_number=number)
    if detail["un_number"] != number:
        return redirect("dangerous_goods:entry", number=detail["un_number"])
    return render(request, "dangerous_goods/entry.html", {"entry": detail})


@login_required
def segregation(request: HttpRequest) -> HttpResponse:
    """The segregation checker: up to six items by UN number or class; every pair and the full table."""
    rows, items, item_rows = segregation_rows(request.GET)
    answer, errors, row_errors = None, [], {}
    if items:
        try:
            answer = services.segregation_check(actor=request.user, items=items)
        except ValidationFailed as failed:
            for key, problems in failed.fields.items():
                found = _ITEM_ERROR.match(key)
                if found and int(found.group(1)) < len(item_rows):
                    row_errors.setdefault(item_rows[int(found.group(1))], []).extend(problems)
                else:
                    errors.extend(problems)
    for row in rows:
        row["errors"] = row_errors.get(row["n"], [])
    table = selectors.segregation_table(actor=request.user)
    context = {
        "rows": rows,
        "answer": answer,
        "errors": errors,
        "matrix": table.matrix(),
        "groups": table.groups,
        "codes": list(selectors.segregation_code_list(actor=request.user)),
        "dataset": next((d for d in _datasets(request) if d.code == "imdg_segregation"), None),
        "submitted": bool(items),
    }
    return render(request, "dangerous_goods/segregation.html", context)


@login_required
def reference(request: HttpRequest) -> HttpResponse:
    """The lists behind every answer: editions and sources, classes, GB 18218 tables."""
    context = {
        "datasets": _datasets(request),
        "classes": list(selectors.hazard_class_list(actor=request.user)),
        "substances": list(selectors.named_substance_list(actor=request.user)),
        "categories": list(selectors.hazard_category_list(actor=request.user)),
        "alpha_bands": list(selectors.alpha_band_list(actor=request.user)),
        "grade_bands": list(selectors.grade_band_list(actor=request.user)),
        "can_edit": policies.can_edit_reference(request.user),
    }
    return render(request, "dangerous_goods/reference.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_import(request: HttpRequest) -> HttpResponse:
    if not policies.can_edit_reference(request.user):
        raise PermissionDenied(_("You may not change the dangerous-goods reference lists."))
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from ftzsafety.dangerous_goods.catalogue_import import read_catalogue

        upload = form.cleaned_data["file"]
        try:
            rows, digest = read_catalogue(upload, upload.name)
            count = services.hazardous_chemical_catalogue_import(
                actor=request.user,
                rows=rows,
                edition=form.cleaned_data["edition"],
                source=form.cleaned_data.get("source", ""),
                file_name=upload.name,
                sha256=digest,
            )
        except ValidationFailed as failed:
            form.add_service_errors(failed)
        else:
            messages.success(request, _("%(n)d catalogue entries imported.") % {"n": count})
            return redirect("dangerous_goods:reference")
    return render(request, "dangerous_goods/catalogue_import.html", {"form": form})


def _major_hazards_context(request: HttpRequest, enterprise: object, form: UnitForm) -> dict:
    summary = selectors.enterprise_major_hazard_summary(actor=request.user, enterprise=enterprise)
    return {
        "enterprise": enterprise,
        "summary": summary,
        "form": form,
        "categories": list(selectors.hazard_category_list(actor=request.user)),
        "datasets": [d for d in _datasets(request) if d.code.startswith("gb18218")],
    }


@login_required
def major_hazards(request: HttpRequest, uscc: str) -> HttpResponse:
    """An enterprise's units, their inventories and the latest assessment of each, line by line."""
    from ftzsafety.enterprises.selectors import enterprise_get

    enterprise = enterprise_get(actor=request.user, uscc=uscc)
    return render(
        request, "dangerous_goods/major_hazards.html", _major_hazards_context(request, enterprise, UnitForm())
    )


@login_required
@require_POST
def unit_create(request: HttpRequest, uscc: str) -> HttpResponse:
    from ftzsafety.enterprises.selectors import enterprise_get

    enterprise = enterprise_get(actor=request.user, uscc=uscc)
    form = UnitForm(request.POST)
    if form.is_valid():
        try:
            unit = services.major_hazard_unit_create(
                actor=request.user, uscc=enterprise.uscc, values=form.service_values(), inventories=form.inventories()
            )
        except ValidationFailed as failed:
            form.add_service_errors(failed)
        except Conflict as conflict:
            form.add_error("code", conflict.message)
        else:
            messages.success(request, _("Unit %(code)s registered.") % {"code": unit.code})
            return redirect("dangerous_goods:major_hazards", uscc=enterprise.uscc)
    context = _major_hazards_context(request, enterprise, form)
    return render(request, "dangerous_goods/major_hazards.html", context, status=422)


@login_required
@require_POST
def unit_assess(request: HttpRequest, unit_id: int) -> HttpResponse:
    record = services.major_hazard_unit_assess(actor=request.user, unit_id=unit_id)
    if record.is_major:
        text = _("Unit %(code)s: S = %(s)s, a major-hazard installation of grade %(grade)s.") % {
            "code": record.unit.code,
            "s": record.result["S"],
            "grade": record.grade,
        }
    else:
        text = _("Unit %(code)s: S = %(s)s, not a major-hazard installation.") % {
            "code": record.unit.code,
            "s": record.result["S"],
        }
    messages.success(request, text)
    return redirect("dangerous_goods:major_hazards", uscc=record.enterprise.uscc)
