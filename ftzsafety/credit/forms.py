"""Forms of the credit pages: they parse input; the rules are in credit.services and credit.policies."""

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.credit.choices import ApplicationKind, ApplicationStatus, CertificateType, EventKind, Grade
from ftzsafety.credit.services import MANUAL_KINDS


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationFailed) -> None:
        for name, messages in (error.fields or {"__all__": [error.message]}).items():
            target = (
                name if name in self.fields else ("certificate_type" if name == "detail.certificate_type" else None)
            )
            if name == "detail.expires_on":
                target = "expires_on"
            for message in messages:
                self.add_error(target if target in self.fields else None, message)


class GradeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=[("", _("All grades")), *Grade.choices])

    def values(self) -> dict[str, str]:
        if not self.is_valid():
            return {"q": "", "grade": ""}
        return {"q": self.cleaned_data["q"], "grade": self.cleaned_data["grade"]}


class EventForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(k, label) for k, label in EventKind.choices if k in MANUAL_KINDS]
    )
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Decision, report or certificate number"), max_length=200)
    evidence_url = forms.CharField(label=_("Evidence link"), max_length=500, required=False)
    certificate_type = forms.ChoiceField(
        label=_("Certificate type"), required=False, choices=[("", "—"), *CertificateType.choices]
    )
    expires_on = forms.DateField(
        label=_("Certificate expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def detail(self) -> dict[str, Any]:
        if self.cleaned_data["kind"] != EventKind.CERTIFICATION:
            return {}
        expires = self.cleaned_data.get("expires_on")
        return {
            "certificate_type": self.cleaned_data.get("certificate_type", ""),
            "expires_on": expires.isoformat() if expires else "",
        }


class ApplicationForm(ServiceErrorsMixin, forms.Form):
    event_id = forms.TypedChoiceField(label=_("Event"), coerce=int, choices=[])

    def __init__(self, *args: Any, events: list | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_id"].choices = [
            (e.pk, f"{e.occurred_on} {e.get_kind_display()} ({e.source_ref})") for e in (events or [])
        ]

    kind = forms.ChoiceField(label=_("Application"), choices=ApplicationKind.choices)
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    evidence_url = forms.CharField(
        label=_("Evidence link"),
        max_length=500,
        required=False,
        help_text=_("Required for a repair: the rectification report or acceptance record."),
    )


class DecisionForm(ServiceErrorsMixin, forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("Decision"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Uphold")), ("0", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("Reasons for the decision"), widget=forms.Textarea(attrs={"rows": 3}))


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *ApplicationStatus.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *ApplicationKind.choices])


class PolicyForm(ServiceErrorsMixin, forms.Form):
    rules = forms.CharField(
        label=_("Rules (JSON)"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "input--code", "spellcheck": "false"}),
        help_text=_("Weights and half-lives per event kind, thresholds, overrides and the measures per grade."),
    )
    note = forms.CharField(label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_rules(self) -> Any:
        try:
            return json.loads(self.cleaned_data["rules"])
        except ValueError as problem:
            raise forms.ValidationError(_("Not valid JSON: %(problem)s") % {"problem": problem}) from None

    def add_service_errors(self, error: ValidationFailed) -> None:
        fields = error.fields or {"rules": [error.message]}
        for path, messages in fields.items():
            for message in messages:
                self.add_error(
                    "note" if path == "note" else "rules", f"{path}: {message}" if path != "note" else message
                )


class PeerZoneForm(ServiceErrorsMixin, forms.Form):
    zone_id = forms.CharField(label=_("Zone id"), max_length=64)
    name_zh = forms.CharField(label=_("Chinese name"), max_length=200)
    name_en = forms.CharField(label=_("English name"), max_length=200, required=False)
    public_key_pem = forms.CharField(
        label=_("SM2 public key (PEM)"), widget=forms.Textarea(attrs={"rows": 5, "class": "input--code"})
    )


class ImportForm(forms.Form):
    document = forms.FileField(label=_("Signed credit record (.json)"))
