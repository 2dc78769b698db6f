from django import forms
from django.utils.translation import gettext_lazy as _

from ftzsafety.certificates.services import MAX_REASON


class VerifyForm(forms.Form):
    """The public verification form: the payload text, or a photo of the QR code."""

    payload = forms.CharField(
        label=_("Certificate code"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("Paste the text of the QR code (it starts with FTZC1/), or upload a photo of the code below."),
    )
    photo = forms.FileField(
        label=_("Photo of the QR code"),
        required=False,
        help_text=_("PNG, JPEG or WebP, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Recorded in the certificate's history and in the audit trail; verifiers see it."),
    )
