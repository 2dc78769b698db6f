"""Pages for access requests and grants: ask, follow, decide (approve, or refuse with a reason after a
confirmation page), and revoke. Rules live in policies and services; DomainErrors become error pages in
portal.errors.DomainErrorMiddleware."""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ftzsafety.core.errors import Conflict, PermissionDenied, ValidationFailed
from ftzsafety.security import policies, selectors, services
from ftzsafety.security.masking import sensitive_fields_of
from ftzsafety.security.models import AccessRequest

DEFAULT_DAYS = 30


class AccessRequestForm(forms.Form):
    """Ask for access. The dataset is chosen first (its sensitive fields differ), then the rest."""

    dataset = forms.ChoiceField(label=gettext_lazy("Dataset"))
    owner = forms.ChoiceField(
        label=gettext_lazy("Owning organisation"),
        required=False,
        help_text=gettext_lazy("For a whole dataset: the organisation whose records you need."),
    )
    object_id = forms.IntegerField(
        label=gettext_lazy("Record number"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("For one record only; leave the owning organisation empty."),
    )
    fields = forms.MultipleChoiceField(
        label=gettext_lazy("Fields to show unmasked"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Ask only for what the task needs."),
    )
    purpose = forms.CharField(
        label=gettext_lazy("Purpose"),
        max_length=policies.MAX_PURPOSE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Say what the data is needed for; the approvers read this."),
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Needed until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The last day of access; at most 180 days from today."),
    )

    def __init__(self, *args: Any, actor: Any, dataset: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.apps import apps

        from ftzsafety.accounts.selectors import organisation_list

        self.fields["dataset"].choices = selectors.requestable_datasets()
        self.fields["dataset"].widget = forms.HiddenInput()
        self.fields["owner"].choices = [("", "—")] + [
            (org.code, org.display_name())
            for org in organisation_list(actor=actor)
            if org.pk != actor.organisation_id and (org.is_government or org.kind == "enterprise")
        ]
        model = apps.get_model(dataset)
        self.fields["fields"].choices = [
            (name, str(model._meta.get_field(name).verbose_name)) for name in sensitive_fields_of(model)
        ]
        if not self.fields["fields"].choices:
            del self.fields["fields"]

    def add_service_errors(self, error: ValidationFailed) -> None:
        for field, problems in error.fields.items():
            target = field if field in self.fields else None
            for problem in problems:
                self.add_error(target, problem)


def _dataset_from(request: HttpRequest) -> str:
    """The dataset chosen, if it is one that can be asked for."""
    chosen = (request.POST.get("dataset") or request.GET.get("dataset") or "").strip().lower()
    labels = {label for label, _name in selectors.requestable_datasets()}
    return chosen if chosen in labels else ""


@login_required
def security_home(request: HttpRequest) -> HttpResponse:
    """My requests and my grants; links to the approval queue for approvers."""
    actor = request.user
    context = {
        "requests": selectors.access_request_list(actor=actor, mine=True)[:50],
        "grant_rows": [(grant, False) for grant in selectors.grant_list(actor=actor, mine=True)[:50]],
        "can_request": policies.can_request(actor),
        "queue_count": selectors.access_request_queue(actor=actor).count(),
    }
    return render(request, "security/security_home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def access_request_new(request: HttpRequest) -> HttpResponse:
    if not policies.can_request(request.user):
        raise PermissionDenied(_("Only government staff can ask for access to confidential data."))
    dataset = _dataset_from(request)
    if not dataset:
        return render(request, "security/access_request_dataset.html", {"datasets": selectors.requestable_datasets()})
    initial = {
        "dataset": dataset,
        "object_id": request.GET.get("object") or None,
        "valid_until": timezone.localdate() + timedelta(days=DEFAULT_DAYS),
    }
    form = AccessRequestForm(request.POST or None, actor=request.user, dataset=dataset, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.access_request_submit(
                actor=request.user,
                dataset=data["dataset"],
                owner_code=data.get("owner") or "",
                object_id=data.get("object_id"),
                fields=data.get("fields") or [],
                purpose=data["purpose"],
                valid_until=data["valid_until"],
            )
        except ValidationFailed as error:
            form.add_service_errors(error)
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your request has been sent for approval."))
            return redirect("security:request_detail", request_id=created.pk)
    dataset_name = dict(selectors.requestable_datasets()).get(dataset, dataset)
    return render(request, "security/access_request_form.html", {"form": form, "dataset_name": dataset_name})


def _detail_context(actor: Any, access_request: AccessRequest) -> dict[str, Any]:
    grant = getattr(access_request, "grant", None) if access_request.status == "approved" else None
    return {
        "access_request": access_request,
        "steps": list(access_request.steps.all()),
        "events": selectors.access_request_events(actor=actor, request_id=access_request.pk),
        "grant": grant,
        "can_decide": policies.can_decide(actor, access_request),
        "can_withdraw": policies.can_withdraw(actor, access_request),
        "can_revoke": grant is not None and grant.is_live and policies.can_revoke(actor, grant),
    }


@login_required
def access_request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    access_request = selectors.access_request_get(actor=request.user, request_id=request_id)
    return render(request, "security/access_request_detail.html", _detail_context(request.user, access_request))


@login_required
def access_request_queue(request: HttpRequest) -> HttpResponse:
    queue = selectors.access_request_queue(actor=request.user)
    return render(request, "security/access_request_queue.html", {"requests": queue})


@login_required
@require_POST
def access_request_approve(request: HttpRequest, request_id: int) -> HttpResponse:
    services.access_request_approve(actor=request.user, request_id=request_id, note=request.POST.get("note", ""))
    messages.success(request, _("You approved request #%(id)d.") % {"id": request_id})
    return redirect("security:queue")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=policies.MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Give a reason.")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def access_request_refuse(request: HttpRequest, request_id: int) -> HttpResponse:
    """GET: the confirmation page with the reason field; POST: refuse."""
    access_request = selectors.access_request_get(actor=request.user, request_id=request_id)
    if not policies.can_decide(request.user, access_request):
        raise PermissionDenied(_("This step is not yours to decide."))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.access_request_refuse(
                actor=request.user, request_id=request_id, reason=form.cleaned_data["reason"]
            )
        except ValidationFailed as error:
            for problem in error.fields.get("reason", [error.message]):
                form.add_error("reason", problem)
        else:
            messages.success(request, _("You refused request #%(id)d.") % {"id": request_id})
            return redirect("security:queue")
    return render(request, "security/access_request_refuse.html", {"access_request": access_request, "form": form})


@login_required
@require_POST
def access_request_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    services.access_request_withdraw(actor=request.user, request_id=request_id)
    messages.success(request, _("You withdrew request #%(id)d.") % {"id": request_id})
    return redirect("security:request_detail", request_id=request_id)


@login_required
def grant_list(request: HttpRequest) -> HttpResponse:
    """Grants the actor holds or oversees (department heads, the security administrator)."""
    grants = selectors.grant_list(actor=request.user)[:200]
    rows = [(grant, policies.can_revoke(request.user, grant) and grant.is_live) for grant in grants]
    return render(request, "security/grant_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def grant_revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    """GET: the confirmation page with the reason field; POST: revoke."""
    grant = selectors.grant_get(actor=request.user, grant_id=grant_id)
    if not policies.can_revoke(request.user, grant):
        raise PermissionDenied(_("You may not revoke this grant."))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_revoke(actor=request.user, grant_id=grant_id, reason=form.cleaned_data["reason"])
        except ValidationFailed as error:
            for problem in error.fields.get("reason", [error.message]):
                form.add_error("reason", problem)
        else:
            messages.success(request, _("Grant #%(id)d has been revoked.") % {"id": grant_id})
            return redirect("security:grants")
    return render(request, "security/grant_revoke.html", {"grant": grant, "form": form})
