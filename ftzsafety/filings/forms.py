"""Page forms of filings. They render the fields and collect the input; the rules are in `kinds.py` (the
service validates), and its field errors (`goods[1].un_number`) are put back next to the fields here."""

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ftzsafety.filings.choices import (
    ConveyanceMode,
    FilingTypeCode,
    QualificationKind,
    QuantityUnit,
    ReviewDecision,
    TrainingTopic,
)

GOODS_ROWS = 5


def _blank(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class DGFilingForm(forms.Form):
    conveyance_mode = forms.ChoiceField(label=_("Conveyance"), choices=ConveyanceMode.choices)
    vessel_name = forms.CharField(label=_("Vessel name"), required=False, max_length=100)
    voyage = forms.CharField(label=_("Voyage"), required=False, max_length=40)
    vehicle_plate = forms.CharField(label=_("Vehicle number plate"), required=False, max_length=12)
    port_of_loading = forms.CharField(label=_("Port of loading"), required=False, max_length=100)
    eta = forms.CharField(
        label=_("Estimated time of arrival"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("At least 24 hours after you submit."),
    )
    destination = forms.ChoiceField(label=_("Destination in the zone"), required=False)
    route = forms.CharField(
        label=_("Route to the destination"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    onward_by_road = forms.BooleanField(label=_("Moved inland by road after arrival"), required=False)
    protective_measures = forms.CharField(
        label=_("Protective measures"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    emergency_contact_name = forms.CharField(label=_("24-hour emergency contact"), required=False, max_length=100)
    emergency_contact_phone = forms.CharField(label=_("24-hour emergency phone"), required=False, max_length=40)

    def __init__(self, *args: Any, destinations: list[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = _blank(
            [(d.code, f"{d.name} ({d.get_kind_display()}; {', '.join(d.accepted_classes)})") for d in destinations]
        )


class GoodsLineForm(forms.Form):
    un_number = forms.CharField(label=_("UN number"), required=False, max_length=10)
    proper_shipping_name = forms.CharField(label=_("Proper shipping name"), required=False, max_length=200)
    hazard_class = forms.CharField(label=_("Class"), required=False, max_length=8)
    packing_group = forms.ChoiceField(
        label=_("Packing group"), required=False, choices=[("", "—"), ("I", "I"), ("II", "II"), ("III", "III")]
    )
    quantity = forms.CharField(label=_("Quantity"), required=False, max_length=20)
    unit = forms.ChoiceField(label=_("Unit of measure"), required=False, choices=QuantityUnit.choices)
    packaging = forms.CharField(label=_("Packaging"), required=False, max_length=200)


GoodsFormSet = formset_factory(GoodsLineForm, extra=0, max_num=20)


class QualificationForm(forms.Form):
    qualification_kind = forms.ChoiceField(label=_("Qualification"), choices=QualificationKind.choices)
    licence_number = forms.CharField(label=_("Licence number"), required=False, max_length=60)
    issuing_authority = forms.CharField(label=_("Issuing authority"), required=False, max_length=100)
    valid_from = forms.CharField(label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.CharField(
        label=_("Valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    scope = forms.CharField(label=_("Scope"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TrainingForm(forms.Form):
    course_title = forms.CharField(label=_("Course title"), required=False, max_length=200)
    provider = forms.CharField(label=_("Training provider"), required=False, max_length=200)
    language = forms.CharField(label=_("Language of instruction"), required=False, max_length=40)
    venue = forms.CharField(label=_("Venue"), required=False, max_length=200)
    start_date = forms.CharField(label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.CharField(label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.CharField(label=_("Hours"), required=False, max_length=5)
    trainees = forms.CharField(label=_("Trainees"), required=False, max_length=5)
    foreign_trainees = forms.CharField(label=_("Foreign trainees"), required=False, max_length=5)
    trainers = forms.CharField(
        label=_("Trainers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name, two-letter nationality code (e.g. Anna Müller, DE)."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), required=False, choices=TrainingTopic.choices, widget=forms.CheckboxSelectMultiple
    )
    curriculum = forms.CharField(label=_("Curriculum"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=ReviewDecision.choices)
    opinion = forms.CharField(label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


def form_classes(type_code: str) -> type[forms.Form]:
    return {
        FilingTypeCode.DG_PRE_ARRIVAL: DGFilingForm,
        FilingTypeCode.SAFETY_QUALIFICATION: QualificationForm,
        FilingTypeCode.FOREIGN_TRAINING: TrainingForm,
    }[type_code]


def to_payload(type_code: str, form: forms.Form, goods: Any = None) -> dict[str, Any]:
    """The page's input as the service's form dict (blank goods rows left out)."""
    data = dict(form.cleaned_data)
    if type_code == FilingTypeCode.DG_PRE_ARRIVAL:
        keys = ("un_number", "proper_shipping_name", "hazard_class", "quantity", "packaging")
        lines = [g.cleaned_data for g in goods.forms]
        data["goods"] = [line for line in lines if any(str(line.get(k) or "").strip() for k in keys)]
    if type_code == FilingTypeCode.FOREIGN_TRAINING:
        trainers = []
        for row in (data.get("trainers") or "").splitlines():
            if row.strip():
                name, _sep, country = row.rpartition(",")
                trainers.append(
                    {"name": name.strip() or country.strip(), "nationality": country.strip() if name else ""}
                )
        data["trainers"] = trainers
    return data


def initial_from(type_code: str, form_data: dict[str, Any], contact: tuple[str, str] = ("", "")) -> dict[str, Any]:
    initial = dict(form_data)
    if type_code == FilingTypeCode.DG_PRE_ARRIVAL:
        initial["emergency_contact_name"], initial["emergency_contact_phone"] = contact
        if initial.get("eta"):
            from django.utils import timezone
            from django.utils.dateparse import parse_datetime

            eta = parse_datetime(initial["eta"])
            initial["eta"] = timezone.localtime(eta).strftime("%Y-%m-%dT%H:%M") if eta else ""
    if type_code == FilingTypeCode.FOREIGN_TRAINING:
        initial["trainers"] = "\n".join(f"{t['name']}, {t['nationality']}" for t in form_data.get("trainers", []))
    return initial


def apply_errors(fields: dict[str, list[str]], form: forms.Form, goods: Any = None) -> list[str]:
    """Put the service's field errors on the page's fields; return those that belong to no field."""
    import re

    rest = []
    for key, messages in fields.items():
        match = re.match(r"^goods\[(\d+)\](?:\.(\w+))?$", key)
        if match and goods is not None and int(match.group(1)) < len(goods.forms):
            target, name = goods.forms[int(match.group(1))], match.group(2)
            for message in messages:
                target.add_error(name if name in target.fields else None, message)
            continue
        name = key.split("[", 1)[0].split(".", 1)[0]
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
        else:
            rest.extend(f"{key}: {m}" for m in messages)
    return rest
