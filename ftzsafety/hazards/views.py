"""Hazard pages: parse the request, call a selector or service, render. Rules live in services and policies;
DomainErrors become error pages in portal.errors.DomainErrorMiddleware."""

from datetime import datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.hazards import policies, selectors, services
from ftzsafety.hazards.choices import CheckResult, HazardCategory, HazardLevel, HazardStatus
from ftzsafety.hazards.ratelimit import public_report_allowed
from ftzsafety.hazards.routing import routing_reason

PAGE_SIZE = 25


def _deadline(raw: str | None) -> datetime | None:
    """A date from a form as the end of that day in the zone's time."""
    day = parse_date(raw or "")
    return timezone.make_aware(datetime.combine(day, time(23, 59))) if day else None


def _report_context(request: HttpRequest, *, public: bool, errors: dict | None = None) -> dict[str, Any]:
    return {
        "public": public,
        "categories": HazardCategory.choices,
        "levels": HazardLevel.choices,
        "errors": errors or {},
        "values": request.POST if request.method == "POST" else {},
        "report_map": selectors.zone_outline(),
    }


def _report_from_post(request: HttpRequest, actor: Any) -> Any:
    data = request.POST
    return services.hazard_report(
        actor=actor,
        category=data.get("category", ""),
        level=data.get("level", HazardLevel.GENERAL),
        title=data.get("title", ""),
        description=data.get("description", ""),
        latitude=data.get("latitude") or None,
        longitude=data.get("longitude") or None,
        location_text=data.get("location_text", ""),
        enterprise_uscc=data.get("enterprise_uscc", ""),
        urgent=data.get("urgent") == "on",
        photos=request.FILES.getlist("photos"),
        reporter_name=data.get("reporter_name", ""),
        reporter_phone=data.get("reporter_phone", ""),
    )


@require_http_methods(["GET", "POST"])
def public_report(request: HttpRequest) -> HttpResponse:
    """Anyone may report a hazard without an account (第16号令 第十四条); limited per address, not by captcha."""
    if request.method == "POST":
        if not public_report_allowed(request):
            context = _report_context(request, public=True)
            context["rate_limited"] = True
            return render(request, "hazards/report.html", context, status=429)
        try:
            hazard = _report_from_post(request, None)
        except ValidationFailed as failed:
            return render(
                request, "hazards/report.html", _report_context(request, public=True, errors=failed.fields), status=422
            )
        return render(
            request,
            "hazards/report_received.html",
            {"code": hazard.code, "reason": routing_reason(hazard.routing_basis, hazard.department)},
        )
    return render(request, "hazards/report.html", _report_context(request, public=True))


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if not policies.can_report(request.user):
        from ftzsafety.core.errors import PermissionDenied

        raise PermissionDenied(_("You may not report hazards."))
    if request.method == "POST":
        try:
            hazard = _report_from_post(request, request.user)
        except ValidationFailed as failed:
            return render(
                request, "hazards/report.html", _report_context(request, public=False, errors=failed.fields), status=422
            )
        messages.success(request, routing_reason(hazard.routing_basis, hazard.department))
        return redirect("hazards:detail", hazard_id=hazard.pk)
    return render(request, "hazards/report.html", _report_context(request, public=False))


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _filters(request: HttpRequest) -> selectors.HazardFilters:
    g = request.GET

    def flag(name: str) -> bool | None:
        return {"1": True, "0": False}.get(g.get(name, ""))

    return selectors.HazardFilters(
        q=g.get("q", ""),
        status=g.get("status", ""),
        category=g.get("category", ""),
        level=g.get("level", ""),
        department=g.get("department", ""),
        enterprise=g.get("enterprise", ""),
        overdue=flag("overdue"),
        listed=flag("listed"),
        mine=g.get("mine") == "1",
    )


@login_required
def hazard_list(request: HttpRequest) -> HttpResponse:
    """The department queue (government), the enterprise's own hazards, or what the viewer reported."""
    from ftzsafety.accounts.choices import DepartmentCode
    from ftzsafety.portal.dashboards import zone_map_data

    filters = _filters(request)
    query = _without_page(request)
    if not request.GET and request.user.is_government and request.user.organisation.department_code:
        # A department's officers start from their own open queue.
        filters = selectors.HazardFilters(status="open", department=request.user.organisation.department_code)
        query = f"status=open&department={filters.department}"
    qs = selectors.hazard_list(actor=request.user, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "filters": filters,
        "statuses": HazardStatus.choices,
        "categories": HazardCategory.choices,
        "levels": HazardLevel.choices,
        "departments": DepartmentCode.choices,
        "counts": selectors.hazard_counts_by_department(actor=request.user) if request.user.is_government else [],
        "can_report": policies.can_report(request.user),
        "query": query,
    }
    if request.user.is_government:
        points = selectors.hazard_map_points(actor=request.user, filters=filters)
        data = zone_map_data(request.user, points=points)
        data["detail_url"] = reverse("hazards:detail", kwargs={"hazard_id": 0}).replace("/0/", "/USCC/")
        context["zone_map"] = data
    return render(request, "hazards/list.html", context)


def _detail_context(request: HttpRequest, hazard: Any) -> dict[str, Any]:
    from ftzsafety.accounts.choices import DepartmentCode
    from ftzsafety.enforcement import selectors as enforcement_selectors

    user = request.user
    offer = enforcement_selectors.dispatch_open_offer(hazard_id=hazard.pk)
    officers = []
    if policies.can_assign_others(user, hazard):
        from django.contrib.auth import get_user_model

        officers = list(
            get_user_model()
            .objects.filter(
                organisation_id=hazard.department_id, is_active=True, groups__name__in=["officer", "department_head"]
            )
            .distinct()
            .order_by("username")
        )
    events = selectors.hazard_events(actor=user, hazard=hazard)
    for event in events:
        # The routing reason is shown in the reader's language, from the basis the event recorded.
        if event.kind == "routed" and "category" in event.data:
            from ftzsafety.accounts.selectors import department_organisation

            event.note = routing_reason(event.data, department_organisation(event.data.get("department", "")))
    return {
        "hazard": hazard,
        "events": events,
        "photos": selectors.hazard_photos(actor=user, hazard=hazard),
        "reason": routing_reason(hazard.routing_basis, hazard.department),
        "offer": offer,
        "offer_is_mine": offer is not None and offer.officer_id == user.pk,
        "dispatches": enforcement_selectors.dispatch_list_for_hazard(hazard_id=hazard.pk),
        "officers": officers,
        "departments": DepartmentCode.choices,
        "levels": HazardLevel.choices,
        "can": {
            "assign": hazard.status in ("reported", "assigned") and policies.can_assign(user, hazard),
            "assign_others": policies.can_assign_others(user, hazard),
            "reroute": hazard.status in ("reported", "assigned") and policies.can_reroute(user, hazard),
            "verify": hazard.status == "assigned" and policies.can_verify(user, hazard),
            "rectify": hazard.status == "rectifying" and policies.can_rectify(user, hazard),
            "accept": hazard.status == "submitted" and policies.can_accept(user, hazard),
        },
        "overdue": hazard.status == "rectifying" and hazard.deadline is not None and hazard.deadline < timezone.now(),
        "show_reporter": user.is_government and user.organisation_id == hazard.department_id,
    }


@login_required
def hazard_detail(request: HttpRequest, hazard_id: int) -> HttpResponse:
    hazard = selectors.hazard_get(actor=request.user, hazard_id=hazard_id)
    return render(request, "hazards/detail.html", _detail_context(request, hazard))


def _act(request: HttpRequest, hazard_id: int, call: Any, done: str) -> HttpResponse:
    """Run one transition; a rule broken shows the message on the hazard page (nothing was written)."""
    try:
        call()
    except ValidationFailed as failed:
        for field_name, problems in failed.fields.items():
            for problem in problems:
                messages.error(request, f"{field_name}: {problem}")
        return redirect("hazards:detail", hazard_id=hazard_id)
    messages.success(request, done)
    return redirect("hazards:detail", hazard_id=hazard_id)


@login_required
@require_POST
def hazard_assign(request: HttpRequest, hazard_id: int) -> HttpResponse:
    officer = request.POST.get("officer") or None
    return _act(
        request,
        hazard_id,
        lambda: services.hazard_assign(
            actor=request.user, hazard_id=hazard_id, officer_id=int(officer) if officer else None
        ),
        _("Assigned."),
    )


@login_required
@require_POST
def hazard_reroute(request: HttpRequest, hazard_id: int) -> HttpResponse:
    p = request.POST
    return _act(
        request,
        hazard_id,
        lambda: services.hazard_reroute(
            actor=request.user, hazard_id=hazard_id, department_code=p.get("department", ""), reason=p.get("reason", "")
        ),
        _("Sent to the other department."),
    )


@login_required
@require_POST
def hazard_dispatch(request: HttpRequest, hazard_id: int) -> HttpResponse:
    accept = request.POST.get("answer") == "accept"
    return _act(
        request,
        hazard_id,
        lambda: services.hazard_dispatch_respond(actor=request.user, hazard_id=hazard_id, accept=accept),
        _("Dispatch accepted.") if accept else _("Dispatch declined; it goes to the next officer."),
    )


@login_required
@require_POST
def hazard_verify(request: HttpRequest, hazard_id: int) -> HttpResponse:
    p = request.POST
    confirmed = p.get("decision") == "confirm"
    return _act(
        request,
        hazard_id,
        lambda: services.hazard_verify(
            actor=request.user,
            hazard_id=hazard_id,
            confirmed=confirmed,
            reason=p.get("reason", ""),
            level=p.get("level") or None,
            deadline=_deadline(p.get("deadline")),
        ),
        _("Confirmed: rectification required.") if confirmed else _("Dismissed."),
    )


@login_required
@require_POST
def hazard_rectify(request: HttpRequest, hazard_id: int) -> HttpResponse:
    return _act(
        request,
        hazard_id,
        lambda: services.rectification_submit(
            actor=request.user,
            hazard_id=hazard_id,
            note=request.POST.get("note", ""),
            photos=request.FILES.getlist("photos"),
        ),
        _("Rectification submitted for acceptance."),
    )


@login_required
@require_POST
def hazard_accept(request: HttpRequest, hazard_id: int) -> HttpResponse:
    p = request.POST
    passed = p.get("decision") == "accept"
    return _act(
        request,
        hazard_id,
        lambda: services.rectification_accept(
            actor=request.user,
            hazard_id=hazard_id,
            passed=passed,
            opinion=p.get("opinion", ""),
            deadline=_deadline(p.get("deadline")),
        ),
        _("Accepted; the hazard is closed.") if passed else _("Reopened: rectification required again."),
    )


@login_required
def hazard_photo(request: HttpRequest, hazard_id: int, photo_id: int) -> HttpResponse:
    """The stored image (metadata stripped on upload), only to those who may see the hazard."""
    photo = selectors.hazard_photo_get(actor=request.user, photo_id=photo_id)
    if photo.hazard_id != hazard_id:
        from ftzsafety.core.errors import NotFound

        raise NotFound(_("Photo not found."))
    response = HttpResponse(bytes(photo.content), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = f'inline; filename="{photo.pk}.{photo.content_type.split("/")[-1]}"'
    return response


# --- self-checks -----------------------------------------------------------------------------------------------


@login_required
def self_check_home(request: HttpRequest) -> HttpResponse:
    from ftzsafety.enterprises.selectors import enterprise_get_own

    enterprise = enterprise_get_own(actor=request.user)
    section = enterprise.industry_section if enterprise else ""
    checks = Paginator(selectors.self_check_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hazards/self_checks.html",
        {
            "templates": selectors.checklist_template_list(actor=request.user),
            "suggested": {t.pk for t in selectors.checklist_template_list(actor=request.user, section=section)}
            if section
            else set(),
            "page": checks,
            "can_run": enterprise is not None and policies.can_run_self_check(request.user, enterprise),
            "enterprise": enterprise,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_check_run(request: HttpRequest, template_id: int) -> HttpResponse:
    """The self-check on a phone: one card per item, pass / fail / not applicable, a note and a photo."""
    template = selectors.checklist_template_get(actor=request.user, template_id=template_id)
    items = list(template.items.all())
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        answers = {
            item.pk: {
                "result": request.POST.get(f"item_{item.pk}", ""),
                "note": request.POST.get(f"note_{item.pk}", ""),
            }
            for item in items
        }
        photos = {
            item.pk: request.FILES.getlist(f"photo_{item.pk}")
            for item in items
            if request.FILES.getlist(f"photo_{item.pk}")
        }
        try:
            check = services.self_check_submit(
                actor=request.user, template_id=template.pk, answers=answers, photos=photos
            )
        except ValidationFailed as failed:
            errors = failed.fields
        else:
            failed_count = sum(1 for a in answers.values() if a["result"] == CheckResult.FAIL)
            messages.success(
                request,
                _("Self-check submitted; %(n)d failed items were recorded as hazards.") % {"n": failed_count},
            )
            return redirect("hazards:self_check_detail", self_check_id=check.pk)
    rows = [
        {
            "item": item,
            "errors": errors.get(f"item_{item.pk}", []),
            "value": request.POST.get(f"item_{item.pk}", ""),
            "note": request.POST.get(f"note_{item.pk}", ""),
        }
        for item in items
    ]
    return render(
        request,
        "hazards/self_check_run.html",
        {"template": template, "rows": rows, "results": CheckResult.choices, "errors": errors},
        status=422 if errors else 200,
    )


@login_required
def self_check_detail(request: HttpRequest, self_check_id: int) -> HttpResponse:
    check = selectors.self_check_get(actor=request.user, self_check_id=self_check_id)
    return render(request, "hazards/self_check_detail.html", {"check": check, "answers": list(check.answers.all())})


# --- routing table, notifications, profile panel ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def routing(request: HttpRequest) -> HttpResponse:
    from ftzsafety.accounts.choices import DepartmentCode
    from ftzsafety.enterprises.choices import IndustrySection
    from ftzsafety.enterprises.selectors import zone_area_list

    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        p = request.POST
        try:
            services.routing_rule_save(
                actor=request.user,
                rule_id=int(p["rule_id"]) if p.get("rule_id") else None,
                category=p.get("category", ""),
                department_code=p.get("department", ""),
                area_code=p.get("area", ""),
                industry_section=p.get("industry_section", ""),
                is_active=p.get("is_active") == "on",
                note=p.get("note", ""),
            )
        except ValidationFailed as failed:
            errors = failed.fields
        else:
            messages.success(request, _("Routing rule saved."))
            return redirect("hazards:routing")
    return render(
        request,
        "hazards/routing.html",
        {
            "rules": selectors.routing_rule_list(actor=request.user),
            "can_edit": policies.can_manage_routing(request.user),
            "categories": HazardCategory.choices,
            "departments": DepartmentCode.choices,
            "areas": zone_area_list(actor=request.user),
            "sections": IndustrySection.choices,
            "periods": selectors.rectification_periods(actor=request.user),
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    from ftzsafety.hazards.notifications import notification_text

    if request.method == "POST":
        notice = request.POST.get("notification")
        services.notification_mark_read(actor=request.user, notification_id=int(notice) if notice else None)
        return redirect("hazards:notifications")
    page = Paginator(selectors.notification_list(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for notice in page:
        notice.text = notification_text(notice.kind, notice.hazard.code if notice.hazard else "")
    return render(request, "hazards/notifications.html", {"page": page})


@login_required
def enterprise_panel(request: HttpRequest, uscc: str) -> HttpResponse:
    """The hazards panel of the enterprise profile (an htmx fragment)."""
    from ftzsafety.enterprises.selectors import enterprise_get

    enterprise = enterprise_get(actor=request.user, uscc=uscc)
    qs = selectors.hazard_list(actor=request.user, filters=selectors.HazardFilters(enterprise=enterprise.uscc))
    return render(
        request,
        "hazards/_enterprise_panel.html",
        {
            "enterprise": enterprise,
            "hazards": list(qs[:10]),
            "open": qs.filter(status__in=["reported", "assigned", "rectifying", "submitted"]).count(),
            "total": qs.count(),
        },
    )
