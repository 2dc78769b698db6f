"""Credit pages: parse the request, call a selector or service, render. DomainErrors (NotFound,
PermissionDenied …) become error pages in portal.errors.DomainErrorMiddleware."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from ftzsafety.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from ftzsafety.credit import selectors, services
from ftzsafety.credit.choices import ApplicationStatus, EventKind, EventStatus, Grade
from ftzsafety.credit.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    DecisionForm,
    EventForm,
    GradeFilterForm,
    ImportForm,
    PeerZoneForm,
    PolicyForm,
)

PAGE_SIZE = 25


def _zone_admin(user) -> bool:
    return services.is_zone_administration(user) and user.has_perm("credit.add_creditpolicy")


def _htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.history_restore_request)


@login_required
@vary_on_headers("HX-Request")
def grade_list(request: HttpRequest) -> HttpResponse:
    """Zone view of grades (government); an enterprise user goes to its own credit page."""
    if request.user.is_enterprise_user:
        from ftzsafety.enterprises.selectors import enterprise_get_own

        own = enterprise_get_own(actor=request.user)
        if own is None:
            raise PermissionDenied(_("You do not have permission to do this."))
        return redirect("credit:enterprise", uscc=own.uscc)
    if not request.user.has_perm("credit.view_creditgrade"):
        raise PermissionDenied(_("You do not have permission to do this."))
    form = GradeFilterForm(request.GET)
    grades = selectors.grade_list(actor=request.user, filters=selectors.GradeFilters(**form.values()))
    page = Paginator(grades, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "filtered": any(form.values().values())}
    if _htmx(request):
        return render(request, "credit/_grade_table.html", context)
    context.update(
        counts=selectors.grade_counts(actor=request.user),
        grades=Grade.choices,
        open_applications=selectors.application_open_count(actor=request.user),
        is_zone_admin=_zone_admin(request.user),
    )
    return render(request, "credit/grade_list.html", context)


def _credit_context(request: HttpRequest, uscc: str) -> dict:
    explanation = selectors.credit_explain(actor=request.user, uscc=uscc)
    events = list(selectors.event_list(actor=request.user, uscc=uscc)[:200])
    applications = selectors.application_list(actor=request.user).filter(enterprise__uscc=explanation.uscc)[:50]
    return {
        "credit": explanation,
        "events": events,
        "applications": applications,
        "factor_sum": sum((f["contribution"] for f in explanation.factors), start=0),
    }


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_credit(request: HttpRequest, uscc: str) -> HttpResponse:
    """One enterprise's grade, explained: factors adding up to the score, overrides, history, recognised records,
    events; objection and repair forms for the enterprise; an event form for officers; export for government."""
    context = _credit_context(request, uscc)
    user = request.user
    can_apply = user.is_enterprise_user and user.has_perm("credit.add_creditapplication")
    can_record = user.is_government and user.has_perm("credit.add_creditevent")
    event_form = EventForm(prefix="event") if can_record else None
    open_ids = {a.event_id for a in context["applications"] if a.status == ApplicationStatus.SUBMITTED}
    applicable = [
        e
        for e in context["events"]
        if e.status == EventStatus.ACTIVE and not e.recognised_from_id and e.pk not in open_ids
    ]
    application_form = ApplicationForm(events=applicable) if can_apply and applicable else None
    if request.method == "POST" and request.POST.get("action") == "event" and can_record:
        event_form = EventForm(request.POST, prefix="event")
        if event_form.is_valid():
            try:
                services.credit_event_record_manual(
                    actor=user,
                    uscc=uscc,
                    kind=event_form.cleaned_data["kind"],
                    occurred_on=event_form.cleaned_data["occurred_on"],
                    reference=event_form.cleaned_data["reference"],
                    evidence_url=event_form.cleaned_data["evidence_url"],
                    detail=event_form.detail(),
                )
            except ValidationFailed as error:
                event_form.add_service_errors(error)
            except Conflict as error:
                event_form.add_error(None, error.message)
            else:
                messages.success(request, _("The event has been recorded and the grade recomputed."))
                return redirect("credit:enterprise", uscc=context["credit"].uscc)
    elif request.method == "POST" and request.POST.get("action") == "apply" and can_apply:
        application_form = ApplicationForm(request.POST, events=applicable)
        if application_form.is_valid():
            try:
                services.credit_application_submit(actor=user, **application_form.cleaned_data)
            except ValidationFailed as error:
                application_form.add_service_errors(error)
            except Conflict as error:
                application_form.add_error(None, error.message)
            else:
                messages.success(request, _("Your application has been submitted; the decision is due within 20 days."))
                return redirect("credit:enterprise", uscc=context["credit"].uscc)
    elif request.method == "POST":
        raise PermissionDenied(_("You do not have permission to do this."))
    context.update(
        can_apply=can_apply,
        can_record=can_record,
        can_export=user.is_government and user.has_perm("credit.view_creditgrade"),
        event_form=event_form,
        application_form=application_form,
        open_event_ids=open_ids,
    )
    return render(request, "credit/enterprise_credit.html", context)


@login_required
def enterprise_panel(request: HttpRequest, uscc: str) -> HttpResponse:
    """The credit panel of the enterprise profile (an htmx fragment); empty when the viewer may not see it."""
    try:
        explanation = selectors.credit_explain(actor=request.user, uscc=uscc)
    except DomainError:
        return render(request, "credit/_panel.html", {"credit": None})
    return render(request, "credit/_panel.html", {"credit": explanation})


@login_required
def enterprise_export(request: HttpRequest, uscc: str) -> HttpResponse:
    document = services.credit_record_export(actor=request.user, uscc=uscc)
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="credit-{uscc.strip().upper()}.json"'
    return response


@login_required
@vary_on_headers("HX-Request")
def application_list(request: HttpRequest) -> HttpResponse:
    form = ApplicationFilterForm(request.GET)
    values = form.cleaned_data if form.is_valid() else {"status": "", "kind": ""}
    applications = selectors.application_list(actor=request.user, filters=selectors.ApplicationFilters(**values))
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "today": timezone.localdate(), "filtered": any(values.values())}
    if _htmx(request):
        return render(request, "credit/_application_table.html", context)
    return render(request, "credit/application_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = selectors.application_get(actor=request.user, application_id=application_id)
    can_decide = _zone_admin(request.user) and application.status == ApplicationStatus.SUBMITTED
    form = DecisionForm() if can_decide else None
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied(_("You do not have permission to do this."))
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.credit_application_decide(
                    actor=request.user,
                    application_id=application.pk,
                    uphold=form.cleaned_data["uphold"],
                    reasons=form.cleaned_data["reasons"],
                )
            except ValidationFailed as error:
                form.add_service_errors(error)
            except Conflict as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The decision has been recorded and the grade recomputed."))
                return redirect("credit:application", application_id=application.pk)
    return render(
        request,
        "credit/application_detail.html",
        {
            "application": application,
            "history": application.events.select_related("actor").all(),
            "form": form,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def policy_view(request: HttpRequest) -> HttpResponse:
    policy = selectors.policy_get(actor=request.user)
    can_edit = _zone_admin(request.user)
    form = None
    if can_edit:
        form = PolicyForm(initial={"rules": json.dumps(policy.rules, ensure_ascii=False, indent=2)})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("You do not have permission to do this."))
        form = PolicyForm(request.POST)
        if form.is_valid():
            try:
                created = services.credit_policy_create(
                    actor=request.user, rules=form.cleaned_data["rules"], note=form.cleaned_data["note"]
                )
            except ValidationFailed as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("Policy version %(version)s is in force; the zone is being re-graded.")
                    % {"version": created.version},
                )
                return redirect("credit:policy")
    rules = policy.rules
    kinds = [{"kind": k, "label": label, **rules["kinds"].get(k, {})} for k, label in EventKind.choices]
    measures = [{"grade": g, "label": label, **rules["measures"][g]} for g, label in Grade.choices]
    return render(
        request,
        "credit/policy.html",
        {
            "policy": policy,
            "rules": rules,
            "kinds": kinds,
            "measures": measures,
            "versions": selectors.policy_list(actor=request.user)[:20],
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def peer_zones(request: HttpRequest) -> HttpResponse:
    if not request.user.is_government:
        raise PermissionDenied(_("You do not have permission to do this."))
    can_manage = _zone_admin(request.user)
    form = PeerZoneForm() if can_manage else None
    import_form = ImportForm() if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("You do not have permission to do this."))
        action = request.POST.get("action")
        if action == "register":
            form = PeerZoneForm(request.POST)
            if form.is_valid():
                try:
                    peer = services.peer_zone_register(actor=request.user, **form.cleaned_data)
                except ValidationFailed as error:
                    form.add_service_errors(error)
                except Conflict as error:
                    form.add_error("zone_id", error.message)
                else:
                    messages.success(request, _("Peer zone %(name)s registered.") % {"name": peer.name})
                    return redirect("credit:peer_zones")
        elif action in ("deactivate", "activate"):
            services.peer_zone_update(
                actor=request.user, zone_id=request.POST.get("zone_id", ""), values={"active": action == "activate"}
            )
            messages.success(request, _("The peer zone has been updated."))
            return redirect("credit:peer_zones")
        elif action == "import":
            import_form = ImportForm(request.POST, request.FILES)
            if import_form.is_valid():
                upload = import_form.cleaned_data["document"]
                try:
                    record = services.credit_record_import(actor=request.user, document=upload.read(1_000_001))
                except ValidationFailed as error:
                    import_form.add_error("document", error.message)
                else:
                    messages.success(
                        request,
                        _("The record of %(uscc)s from %(zone)s has been verified and recognised.")
                        % {"uscc": record.enterprise.uscc, "zone": record.peer_zone.name},
                    )
                    return redirect("credit:enterprise", uscc=record.enterprise.uscc)
    return render(
        request,
        "credit/peer_zones.html",
        {
            "peers": selectors.peer_zone_list(actor=request.user),
            "form": form,
            "import_form": import_form,
            "zone_key": services.zone_public_key() if can_manage else None,
            "can_manage": can_manage,
        },
    )


@vary_on_headers("HX-Request")
def publication(request: HttpRequest) -> HttpResponse:
    """Public page, no sign-in: enterprises with the grades the policy publishes (A and D by default), with the
    registry facts that are public anyway and nothing else (企业信息公示暂行条例; 国办发〔2020〕49号)."""
    grade = request.GET.get("grade", "")
    grade = grade if grade in Grade.values else ""
    q = request.GET.get("q", "")[:100]
    page = Paginator(selectors.publication_list(grade=grade, q=q), 50).get_page(request.GET.get("page"))
    _version, rules = selectors.rules_in_force()
    return render(
        request,
        "credit/publication.html",
        {
            "page": page,
            "grade": grade,
            "q": q,
            "published": [(g, Grade(g).label) for g in rules["publication"]["grades"] if g in Grade.values],
        },
    )
