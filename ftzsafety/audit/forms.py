"""The audit administrator's search form (also the filters of the CSV export)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ftzsafety.audit.models import Outcome
from ftzsafety.audit.selectors import RecordFilters


class RecordSearchForm(forms.Form):
    person = forms.CharField(
        label=_("Person"), required=False, max_length=150, widget=forms.TextInput(attrs={"placeholder": _("user name")})
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. enterprises.enterprise.update")}),
    )
    target = forms.CharField(
        label=_("Target"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("id, type or name")}),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), required=False, choices=[("", _("Any outcome")), *Outcome.choices])
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self) -> RecordFilters:
        """The valid filters (an invalid field is ignored, and shown with its error)."""
        if not self.is_bound:
            return RecordFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return RecordFilters(**{name: data[name] for name in self.fields if data.get(name)})

    @property
    def is_filtered(self) -> bool:
        return bool(self.filters().as_dict())
