"""Registry pages: parse the request, call a selector or service, render. Rules live in policies and services;
DomainErrors (NotFound, PermissionDenied …) become error pages in portal.errors.DomainErrorMiddleware."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from ftzsafety.core.errors import Conflict, PermissionDenied, ValidationFailed
from ftzsafety.enterprises import policies, search, selectors, services
from ftzsafety.enterprises.forms import EnterpriseFilterForm, EnterpriseForm
from ftzsafety.portal.dashboards import zone_map_data

PAGE_SIZE = 25


@login_required
@vary_on_headers("HX-Request")
def enterprise_list(request: HttpRequest) -> HttpResponse:
    """The registry list. An htmx request (live search, filters, page links) gets only the results fragment."""
    form = EnterpriseFilterForm(request.GET, actor=request.user)
    enterprises = selectors.enterprise_list(actor=request.user, filters=form.filters())
    paginator = Paginator(enterprises, PAGE_SIZE)
    known = getattr(enterprises, "search_count", None)
    if known is not None:  # a search knows its (capped) count already
        paginator.count = known
    page = paginator.get_page(request.GET.get("page"))
    filters = form.filters()
    if filters.cross_border_dangerous_goods:
        page.object_list = list(page.object_list)
        selectors.enterprise_attach_cross_border(actor=request.user, enterprises=page.object_list, since=filters.since)
    context = {
        "form": form,
        "page": page,
        "can_create": policies.can_create(request.user),
        "cross_border": filters.cross_border_dangerous_goods,
        "count_capped": known is not None and selectors.search_count_capped(known),
        "count_cap": search.COUNT_CAP,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "enterprises/_enterprise_table.html", context)
    return render(request, "enterprises/enterprise_list.html", context)


@login_required
def enterprise_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = selectors.enterprise_get(actor=request.user, uscc=uscc)
    point = []
    if enterprise.latitude is not None and enterprise.longitude is not None:
        point = [
            {
                "uscc": enterprise.uscc,
                "name": enterprise.name,
                "lat": enterprise.latitude,
                "lng": enterprise.longitude,
                "foreign": enterprise.foreign_invested,
            }
        ]
    area_codes = {enterprise.area.code} if enterprise.area_id else set()
    from ftzsafety.dangerous_goods.selectors import enterprise_major_hazard_summary
    from ftzsafety.enterprises.profile import enterprise_profile, with_cells
    from ftzsafety.security.policies import can_request

    # The detail page is the enterprise's profile (一企一档): registry entry, contacts and major hazards as before,
    # plus the department datasets, documents, timeline, chain and registered panels.
    profile = with_cells(enterprise_profile(actor=request.user, uscc=enterprise.uscc, enterprise=enterprise))
    context = {
        "enterprise": enterprise,
        "profile": profile,
        "contacts": profile["contacts"],
        "can_request_access": can_request(request.user),
        "major_hazards": enterprise_major_hazard_summary(actor=request.user, enterprise=enterprise),
        "can_edit": policies.can_edit(request.user, enterprise),
        "location_map": zone_map_data(request.user, points=point, area_codes=area_codes) if point else None,
    }
    return render(request, "enterprises/enterprise_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_create(request: HttpRequest) -> HttpResponse:
    if not policies.can_create(request.user):
        raise PermissionDenied(_("You may not register enterprises."))
    form = EnterpriseForm(
        request.POST or None,
        actor=request.user,
        field_names=policies.REGISTRY_FIELDS,
        creating=True,
        initial={"classification": "public"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_create(
                actor=request.user,
                uscc=form.cleaned_data["uscc"],
                values=form.service_values(),
                override_check_character=form.cleaned_data.get("override_check_character", False),
            )
        except ValidationFailed as error:
            form.add_service_errors(error)
        except Conflict as error:
            form.add_error("uscc", error.message)
        else:
            messages.success(request, _("%(name)s has been registered.") % {"name": enterprise.name})
            return redirect("enterprises:detail", uscc=enterprise.uscc)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "enterprise": None})


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = selectors.enterprise_get(actor=request.user, uscc=uscc)
    field_names = policies.editable_fields(request.user, enterprise)
    if not field_names:
        raise PermissionDenied(_("You may not change this enterprise."))
    form = EnterpriseForm(
        request.POST or None,
        actor=request.user,
        field_names=field_names,
        initial=EnterpriseForm.initial_from(enterprise),
    )
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.enterprise_update(
                actor=request.user, uscc=enterprise.uscc, values=form.service_values()
            )
        except ValidationFailed as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The changes to %(name)s have been saved.") % {"name": enterprise.name})
            return redirect("enterprises:detail", uscc=enterprise.uscc)
    return render(request, "enterprises/enterprise_form.html", {"form": form, "enterprise": enterprise})
