"""Forms for the registry pages: rendering and coercion only. The rules live in enterprises.services,
whose ValidationFailed field messages are put back onto the form with `add_service_errors`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.core.models import Classification
from ftzsafety.enterprises import policies, selectors
from ftzsafety.enterprises.choices import IndustrySection, OrganisationForm

ALL = ""
FOREIGN_CHOICES = [(ALL, _("Foreign and domestic")), ("true", _("Foreign-invested")), ("false", _("Domestic"))]


class EnterpriseFilterForm(forms.Form):
    """The list's search box and filters; the same parameter names as GET /api/v1/enterprises."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name or credit-code prefix"), "autocomplete": "off"}
        ),
    )
    area = forms.ChoiceField(label=_("Zone area"), required=False)
    industry_section = forms.ChoiceField(label=_("Industry section"), required=False)
    foreign_invested = forms.ChoiceField(label=_("Investment"), required=False, choices=FOREIGN_CHOICES)
    cross_border_dangerous_goods = forms.BooleanField(
        label=_("Cross-border dangerous goods"),
        required=False,
        help_text=_("Declared at customs and carried under waybills"),
    )
    since = forms.DateField(
        label=_("Since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Give the date as YYYY-MM-DD, e.g. 2026-01-31.")},
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(ALL, _("All areas"))] + [
            (area.code, area.name) for area in selectors.zone_area_list(actor=actor)
        ]
        self.fields["industry_section"].choices = [(ALL, _("All sections")), *IndustrySection.choices]

    def filters(self) -> selectors.EnterpriseFilters:
        """The filters to apply; a value that does not parse (a stale link) is ignored rather than refused."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        foreign = data.get("foreign_invested", ALL)
        return selectors.EnterpriseFilters(
            q=data.get("q", ""),
            area=data.get("area", ""),
            industry_section=data.get("industry_section", ""),
            foreign_invested=None if foreign == ALL else foreign == "true",
            cross_border_dangerous_goods=bool(data.get("cross_border_dangerous_goods")),
            since=data.get("since"),
        )

    @property
    def is_filtered(self) -> bool:
        f = self.filters()
        return bool(
            f.q or f.area or f.industry_section or f.foreign_invested is not None or f.cross_border_dangerous_goods
        )


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class EnterpriseForm(forms.Form):
    """Create (with `uscc`) or edit an enterprise; only the fields the actor may set are on the form."""

    uscc = forms.CharField(
        label=_("Unified social credit code"),
        required=False,
        help_text=_("18 characters (GB 32100-2015), e.g. 91120116MA05XB3K4Y."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": 18, "class": "input--code"}),
    )
    override_check_character = forms.BooleanField(
        label=_("Accept a failing check character"),
        required=False,
        help_text=_("Only for codes issued with a wrong check character; the override is recorded in the audit trail."),
    )
    name_zh = forms.CharField(label=_("Chinese name"), required=False, widget=forms.TextInput(attrs={"maxlength": 200}))
    name_en = forms.CharField(label=_("English name"), required=False, widget=forms.TextInput(attrs={"maxlength": 300}))
    organisation_form = forms.ChoiceField(label=_("Organisation form"), required=False)
    foreign_invested = forms.BooleanField(label=_("Foreign-invested"), required=False)
    investor_country = forms.ChoiceField(label=_("Investor country"), required=False)
    industry_section = forms.ChoiceField(label=_("Industry section (GB/T 4754-2017)"), required=False)
    industry_class = forms.ChoiceField(label=_("Industry class (GB/T 4754-2017)"), required=False)
    area = forms.ChoiceField(label=_("Zone area"), required=False)
    address = forms.CharField(label=_("Address"), required=False, widget=forms.TextInput(attrs={"maxlength": 300}))
    latitude = forms.FloatField(
        label=_("Latitude"), required=False, widget=forms.NumberInput(attrs={"step": "any", "min": -90, "max": 90})
    )
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, widget=forms.NumberInput(attrs={"step": "any", "min": -180, "max": 180})
    )
    business_scope = forms.CharField(
        label=_("Business scope"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    classification = forms.ChoiceField(label=_("Classification"), required=False, choices=Classification.choices)

    wide_fields = ("override_check_character", "address")
    field_order = (
        "uscc",
        "override_check_character",
        "name_zh",
        "name_en",
        "organisation_form",
        "classification",
        "industry_section",
        "industry_class",
        "foreign_invested",
        "investor_country",
        "area",
        "address",
        "latitude",
        "longitude",
        "business_scope",
    )

    def __init__(
        self, *args: Any, actor: Any, field_names: tuple[str, ...], creating: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        keep = set(field_names)
        if creating:
            keep.add("uscc")
            if policies.can_override_check_character(actor):
                keep.add("override_check_character")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        choices = {
            "organisation_form": _blank("—") + list(OrganisationForm.choices),
            "investor_country": _blank(_("— none —")) + list(countries),
            "industry_section": _blank("—") + list(IndustrySection.choices),
            "area": _blank(_("— none —")) + [(a.code, a.name) for a in selectors.zone_area_list(actor=actor)],
        }
        if "industry_class" in self.fields:
            grouped: dict[str, list[tuple[str, str]]] = {}
            for industry_class in selectors.industry_class_list(actor=actor):
                grouped.setdefault(industry_class.section, []).append((industry_class.code, str(industry_class)))
            sections = dict(IndustrySection.choices)
            choices["industry_class"] = _blank(_("— none —")) + [
                (str(sections.get(section, section)), options) for section, options in sorted(grouped.items())
            ]
        for name, options in choices.items():
            if name in self.fields:
                self.fields[name].choices = options
        if "uscc" in self.fields:
            self.fields["uscc"].widget.attrs["autofocus"] = True

    @classmethod
    def initial_from(cls, enterprise: Any) -> dict[str, Any]:
        initial = {name: getattr(enterprise, name) for name in policies.REGISTRY_FIELDS}
        initial["industry_class"] = enterprise.industry_class_id or ""
        initial["area"] = enterprise.area.code if enterprise.area_id else ""
        initial["investor_country"] = str(enterprise.investor_country or "")
        return initial

    def service_values(self) -> dict[str, Any]:
        """The registry values for enterprises.services. On create, empty fields are left out (the service
        names the required ones); on edit, every field on the form is sent, so a value can be cleared."""
        values = {
            name: value
            for name, value in self.cleaned_data.items()
            if name in policies.REGISTRY_FIELDS and name in self.fields
        }
        if self.creating:
            values = {k: v for k, v in values.items() if v not in ("", None) or k == "foreign_invested"}
        return values

    def add_service_errors(self, error: ValidationFailed) -> None:
        """Put the service's messages next to their fields (already in the user's language)."""
        fields = error.fields or {"": [error.message]}
        for name, messages in fields.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
