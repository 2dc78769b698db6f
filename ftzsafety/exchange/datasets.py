"""The dataset specifications: one entry per department dataset. The ingestion service, the catalogue, the API
and the CLI are driven by these; adding a dataset is a model plus a spec here."""

from dataclasses import dataclass, field

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ftzsafety.core.models import Classification
from ftzsafety.exchange import models as m


@dataclass(frozen=True)
class FieldSpec:
    """A column: `kind` is one of str, int, decimal, date, datetime, choice, uscc, un_number, unit, country."""

    name: str
    kind: str = "str"
    required: bool = True
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    label: Promise | str = ""


@dataclass(frozen=True)
class ChildSpec:
    """Lines of a parent row (e.g. goods lines). In JSON a list under `name`; in CSV/XLSX one row per line."""

    name: str
    model: type[Model]
    parent_field: str
    key: str
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class Reader:
    who: Promise | str
    purpose: Promise | str


@dataclass(frozen=True)
class DatasetSpec:
    slug: str
    model: type[Model]
    label: Promise | str
    owner_departments: tuple[str, ...]  # the first owns the rows; all may write
    classification: str
    natural_key: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    readers: tuple[Reader, ...] = ()
    child: ChildSpec | None = None
    legal_basis: Promise | str = ""
    extra: dict = field(default_factory=dict)

    @property
    def owner_department(self) -> str:
        return self.owner_departments[0]

    def column_names(self) -> list[str]:
        names = [f.name for f in self.fields]
        if self.child:
            names += [f.name for f in self.child.fields]
        return names


ENTERPRISE_FIELDS = (
    FieldSpec("enterprise_code", "uscc", required=False, label=_("credit code")),
    FieldSpec("enterprise_name", "str", required=False, max_length=300, label=_("enterprise name")),
)

GOVERNMENT_READERS = (
    Reader(_("Zone administration command centre"), _("Zone-wide risk monitoring and the enterprise profile")),
    Reader(_("Every department (internal rows)"), _("Supervision of the enterprises they regulate")),
)

DATASETS: dict[str, DatasetSpec] = {
    spec.slug: spec
    for spec in (
        DatasetSpec(
            slug="customs-declarations",
            model=m.CustomsDeclaration,
            label=_("Customs declarations"),
            owner_departments=("customs",),
            classification=Classification.INTERNAL,
            natural_key=("declaration_no",),
            fields=(
                FieldSpec("declaration_no", "str", max_length=18, label=_("declaration number")),
                FieldSpec("declared_on", "date", label=_("declaration date")),
                FieldSpec("direction", "choice", choices=("import", "export"), label=_("direction")),
                *ENTERPRISE_FIELDS,
                FieldSpec("port", "str", max_length=100, label=_("port")),
                FieldSpec("country", "country", label=_("country of origin or destination")),
            ),
            child=ChildSpec(
                name="goods",
                model=m.CustomsGoodsLine,
                parent_field="declaration",
                key="line_no",
                fields=(
                    FieldSpec("line_no", "int", label=_("line number")),
                    FieldSpec("hs_code", "hs_code", label=_("HS code")),
                    FieldSpec("goods_name", "str", max_length=200, label=_("goods name")),
                    FieldSpec("un_number", "un_number", required=False, label=_("UN number")),
                    FieldSpec("quantity", "decimal", label=_("quantity")),
                    FieldSpec("unit", "unit", label=_("unit")),
                ),
            ),
            readers=(
                *GOVERNMENT_READERS,
                Reader(_("Emergency management"), _("Dangerous goods entering the zone (cross-border chain)")),
            ),
            legal_basis="海关法 第二十四条; 危险化学品安全管理条例 第六条",
        ),
        DatasetSpec(
            slug="dangerous-goods-waybills",
            model=m.DangerousGoodsWaybill,
            label=_("Dangerous-goods waybills"),
            owner_departments=("transport", "maritime"),
            classification=Classification.INTERNAL,
            natural_key=("waybill_no",),
            fields=(
                FieldSpec("waybill_no", "str", max_length=40, label=_("waybill number")),
                *ENTERPRISE_FIELDS,
                FieldSpec("carrier", "str", max_length=200, label=_("carrier")),
                FieldSpec("vehicle", "str", max_length=40, label=_("vehicle or vessel")),
                FieldSpec("un_number", "un_number", label=_("UN number")),
                FieldSpec("quantity", "decimal", label=_("quantity")),
                FieldSpec("unit", "unit", label=_("unit")),
                FieldSpec("origin", "str", max_length=200, label=_("origin")),
                FieldSpec("destination", "str", max_length=200, label=_("destination")),
                FieldSpec("route", "str", required=False, max_length=500, label=_("route")),
                FieldSpec("departs_on", "date", label=_("departure date")),
                FieldSpec("arrives_on", "date", required=False, label=_("arrival date")),
            ),
            readers=(
                *GOVERNMENT_READERS,
                Reader(_("Fire and rescue"), _("Knowing what is on the road during an incident")),
            ),
            legal_basis="危险货物道路运输安全管理办法 第二十三条",
        ),
        DatasetSpec(
            slug="storage-inventories",
            model=m.StorageInventory,
            label=_("Park storage inventories"),
            owner_departments=("emergency",),
            classification=Classification.INTERNAL,
            natural_key=("enterprise_code", "enterprise_name", "warehouse", "un_number", "chemical_name", "as_of"),
            fields=(
                *ENTERPRISE_FIELDS,
                FieldSpec("warehouse", "str", max_length=100, label=_("warehouse")),
                FieldSpec("un_number", "un_number", required=False, label=_("UN number")),
                FieldSpec("chemical_name", "str", required=False, max_length=200, label=_("chemical name")),
                FieldSpec("quantity", "decimal", label=_("quantity")),
                FieldSpec("unit", "unit", label=_("unit")),
                FieldSpec("as_of", "datetime", label=_("as of")),
            ),
            readers=(
                *GOVERNMENT_READERS,
                Reader(_("Fire and rescue"), _("Pre-incident plans for warehouses")),
            ),
            legal_basis="危险化学品安全管理条例 第二十四条; GB 15603-2022",
        ),
    )
}


def dataset_spec(slug: str) -> DatasetSpec:
    """The spec of a dataset, or NotFound naming the datasets that exist."""
    from ftzsafety.core.errors import NotFound

    spec = DATASETS.get(slug)
    if spec is None:
        raise NotFound(
            str(_("There is no dataset “%(slug)s”. Datasets: %(known)s."))
            % {"slug": slug, "known": ", ".join(DATASETS)},
            extra={"dataset": slug},
        )
    return spec
