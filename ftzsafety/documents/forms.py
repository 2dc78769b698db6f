"""Forms for the document pages: rendering and coercion only; the rules live in documents.services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.core.models import Classification
from ftzsafety.documents.choices import DocumentKind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Give the date as YYYY-MM-DD, e.g. 2026-01-31.")}


def _date_field(label: str) -> forms.DateField:
    """An optional ISO date (YYYY-MM-DD) with the browser's date picker."""
    return forms.DateField(
        label=label, required=False, widget=DATE_WIDGET, input_formats=["%Y-%m-%d"], error_messages=DATE_ERRORS
    )


class _ServiceErrors:
    def add_service_errors(self, error: ValidationFailed) -> None:
        """Put the service's messages next to their fields (already in the user's language)."""
        fields = error.fields or {"": [error.message]}
        for name, messages in fields.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)  # type: ignore[attr-defined]


class DocumentUploadForm(_ServiceErrors, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(
        label=_("Title"), required=False, max_length=200, help_text=_("Leave empty to use the kind as the title.")
    )
    number = forms.CharField(label=_("Document number"), required=False, max_length=100)
    issued_by = forms.CharField(label=_("Issued by"), required=False, max_length=200)
    valid_from = _date_field(_("Valid from"))
    valid_until = _date_field(_("Valid until"))
    classification = forms.ChoiceField(
        label=_("Classification"),
        required=False,
        choices=[("", _("By kind (recommended)")), *Classification.choices],
        help_text=_("Business licences are public, emergency plans confidential, other documents internal."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, PNG, JPEG or WebP (safety data sheets also plain text), at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp,.txt"}),
    )

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data.get("title") or "",
            "number": data.get("number") or "",
            "issued_by": data.get("issued_by") or "",
            "valid_from": data.get("valid_from"),
            "valid_until": data.get("valid_until"),
            "classification": data.get("classification") or None,
        }


class DocumentReplaceForm(_ServiceErrors, forms.Form):
    number = forms.CharField(label=_("Document number"), required=False, max_length=100)
    valid_from = _date_field(_("Valid from"))
    valid_until = _date_field(_("Valid until"))
    file = forms.FileField(
        label=_("New file"),
        required=False,
        help_text=_("PDF, PNG, JPEG or WebP (safety data sheets also plain text), at most 10 MB."),
    )


class DocumentWithdrawForm(_ServiceErrors, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    confirm = forms.BooleanField(
        label=_("I understand the document will no longer be offered to departments or forms."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )
