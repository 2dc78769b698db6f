"""Forms for rendering and coercion only; the rules are in services and assessment."""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ftzsafety.core.errors import ValidationFailed
from ftzsafety.dangerous_goods.choices import UnitKind
from ftzsafety.dangerous_goods.identifiers import looks_like_cas, match_key

SEGREGATION_ROWS = 6
_LINE = re.compile(
    r"^(?P<name>.+?)[\s,，;；|]+(?P<quantity>[-+]?[0-9０-９.．]+(?:[eE][-+]?\d+)?)\s*(?:t|吨)?"
    r"(?:[\s,，;；|]+(?P<category>[JjWwＪＷｊｗ][0-9０-９.．]+))?\s*$"
)
_CATEGORY = re.compile(r"^[JW]\d+(?:\.\d+)?$")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("UN number, name, alias or CAS number"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "placeholder": "UN1017 / 氯 / chlorine"}
        ),
    )


def parse_inventory_text(text: str) -> list[dict[str, Any]]:
    """Lines `name or CAS, quantity [t][, category]` or `category, quantity` → inventory dicts for the services.

    A line that cannot be read becomes a line with only its text, so that the service names it in its error."""
    lines = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        found = _LINE.match(line)
        if not found:
            lines.append({"substance": line, "quantity_t": None})
            continue
        name = found.group("name").strip()
        quantity = match_key(found.group("quantity"))
        category = match_key(found.group("category") or "").upper()
        entry: dict[str, Any] = {"quantity_t": quantity}
        if not category and _CATEGORY.match(match_key(name).upper()):
            entry["category"] = match_key(name).upper()
        else:
            entry["cas" if looks_like_cas(name) else "substance"] = name
            if category:
                entry["category"] = category
        lines.append(entry)
    return lines


class UnitForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Unit code"), max_length=32)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=UnitKind.choices)
    exposed_population = forms.IntegerField(
        label=gettext_lazy("People within 500 m"),
        min_value=0,
        help_text=gettext_lazy("People within 500 m of the site boundary (GB 18218-2018 Table 5)."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    inventory = forms.CharField(
        label=gettext_lazy("Inventory"),
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "氯, 3\n7664-41-7, 6\n丙烯, 20, W2\nW5.3, 120"}),
        help_text=gettext_lazy(
            "One line per substance: name, alias or CAS number, then the maximum quantity in tonnes, and the "
            "GB 18218 Table 2 category when the substance is not in Table 1 (e.g. “丙烯, 20, W2”). "
            "A category alone also works (“W5.3, 120”)."
        ),
    )

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name": data["name"],
            "kind": data["kind"],
            "exposed_population": data["exposed_population"],
            "description": data.get("description", ""),
        }

    def inventories(self) -> list[dict[str, Any]]:
        return parse_inventory_text(self.cleaned_data.get("inventory", ""))

    def add_service_errors(self, error: ValidationFailed) -> None:
        for key, messages in error.fields.items():
            name = "inventory" if key.startswith("inventories") else key
            if name not in self.fields:
                name = None
            for message in messages:
                self.add_error(name, message)


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        help_text=gettext_lazy("Columns 序号, 品名, 别名, CAS号, 备注 (the official 危险化学品目录 table)."),
    )
    edition = forms.CharField(label=gettext_lazy("Edition"), max_length=200, initial="2015版（2022年调整）")
    source = forms.CharField(label=gettext_lazy("Source"), max_length=500, required=False)

    def add_service_errors(self, error: ValidationFailed) -> None:
        for key, messages in error.fields.items():
            name = key if key in self.fields else None
            for message in messages:
                self.add_error(name, message)


def segregation_rows(data: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[int]]:
    """The checker's rows as typed (for redisplay), the items for the service (rows left empty are skipped) and
    the row number of each item (to put the service's `items[i]` errors on the right row)."""
    rows, items, item_rows = [], [], []
    for n in range(1, SEGREGATION_ROWS + 1):
        row = {
            "n": n,
            "ref": (data.get(f"ref_{n}") or "").strip()[:60],
            "un_number": (data.get(f"un_{n}") or "").strip()[:20],
            "hazard_class": (data.get(f"class_{n}") or "").strip()[:10],
            "subsidiary": (data.get(f"sub_{n}") or "").strip()[:40],
        }
        rows.append(row)
        if row["un_number"] or row["hazard_class"] or row["subsidiary"]:
            item: dict[str, Any] = {"ref": row["ref"] or _("Item %(n)d") % {"n": n}}
            if row["un_number"]:
                item["un_number"] = row["un_number"]
            if row["hazard_class"]:
                item["hazard_class"] = row["hazard_class"]
            if row["subsidiary"]:
                item["subsidiary_hazards"] = [s for s in re.split(r"[\s,，;；]+", row["subsidiary"]) if s]
            items.append(item)
            item_rows.append(n)
    return rows, items, item_rows
