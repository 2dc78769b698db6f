"""Field pages: an officer reports where they are and whether they can take urgent work, and sees the urgent
hazards offered to them; the department sees its officers on the map (API: /api/v1/officers/…)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ftzsafety.core.errors import PermissionDenied, ValidationFailed
from ftzsafety.enforcement import policies, selectors, services


@login_required
@require_http_methods(["GET", "POST"])
def my_location(request: HttpRequest) -> HttpResponse:
    if not policies.can_report_location(request.user):
        raise PermissionDenied(_("Only officers report a field location."))
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            services.officer_location_set(
                actor=request.user,
                latitude=request.POST.get("latitude"),
                longitude=request.POST.get("longitude"),
                available=request.POST.get("available") == "on",
            )
        except ValidationFailed as failed:
            errors = failed.fields
        else:
            messages.success(request, _("Your position and availability are recorded."))
            return redirect("enforcement:my_location")
    location = selectors.officer_location_get(actor=request.user)
    colleagues = selectors.officer_location_list(actor=request.user, department_id=request.user.organisation_id)
    points = [
        {
            "uscc": "",
            "name": f"{loc.officer} · {_('available') if loc.available else _('busy')}",
            "lat": loc.latitude,
            "lng": loc.longitude,
            "foreign": not loc.available,
        }
        for loc in colleagues
    ]
    from ftzsafety.portal.dashboards import zone_map_data

    map_data = zone_map_data(request.user, points=points)
    map_data["detail_url"] = ""
    return render(
        request,
        "enforcement/my_location.html",
        {
            "location": location,
            "offers": list(selectors.dispatch_offers_for(actor=request.user)),
            "errors": errors,
            "values": request.POST
            if request.method == "POST"
            else ({"latitude": location.latitude, "longitude": location.longitude} if location else {}),
            "zone_map": map_data,
        },
        status=422 if errors else 200,
    )
