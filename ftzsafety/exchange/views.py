"""Exchange pages: the sharing catalogue, import jobs, the resolution queue. Rules live in services/policies."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ftzsafety.core.errors import DomainError, PermissionDenied
from ftzsafety.exchange import policies, selectors, services


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


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.import_job_get(actor=request.user, job_id=job_id)
    return render(request, "exchange/job_detail.html", {"job": job})


@login_required
def resolution_queue(request: HttpRequest) -> HttpResponse:
    _require_government(request)
    cases = list(selectors.resolution_case_list(actor=request.user)[:100])
    pending = selectors.pending_registration_list(actor=request.user)[:100]
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
