"""The dataset specifications: one entry per department dataset. The ingestion service, the catalogue, the API
and the CLI are driven by these; adding a dataset is a model plus a spec here."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ftzsafety.core.models import Classification
from ftzsafety.exchange import models as m
from ftzsafety.exchange.choices import EquipmentCategory, LicenceType


@dataclass(frozen=True)
class FieldSpec:
    """A column: `kind` is one of str, int, decimal, date, datetime, choice, uscc, un_number, unit, country,
    hs_code, latitude, longitude."""

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
    # Rules across fields of one cleaned row: each returns [(field, reason), ...] (validation.clean_row runs them).
    checks: tuple[Callable[[dict[str, Any]], list[tuple[str, str]]], ...] = ()

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


def _ends_after_start(start: str, end: str) -> Callable[[dict[str, Any]], list[tuple[str, str]]]:
    def check(values: dict[str, Any]) -> list[tuple[str, str]]:
        if values.get(start) and values.get(end) and values[end] < values[start]:
            return [(end, str(_("is before %(field)s; expected the same or later.") % {"field": start}))]
        return []

    return check


PERSONAL_LICENCES = ("principal_qualification", "safety_manager_qualification", "special_operation")


def _holder_for_personal_certificates(values: dict[str, Any]) -> list[tuple[str, str]]:
    """Qualification certificates are issued to a person (安全生产法 第二十七条, 第三十条): name the holder."""
    if values.get("licence_type") in PERSONAL_LICENCES and not values.get("holder_name"):
        return [("holder_name", str(_("is required for a personal qualification certificate.")))]
    return []


def _yard_position_for_storage(values: dict[str, Any]) -> list[tuple[str, str]]:
    """Yard storage names its position: segregation in the yard is checked against it (IMDG Code 7.2)."""
    if values.get("kind") == "yard_storage" and not values.get("yard_position"):
        return [("yard_position", str(_("is required for yard storage.")))]
    return []


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
        DatasetSpec(
            slug="port-operations",
            model=m.PortOperation,
            label=_("Port dangerous-goods operations"),
            owner_departments=("maritime",),
            classification=Classification.INTERNAL,
            natural_key=("operation_no",),
            fields=(
                FieldSpec("operation_no", "str", max_length=40, label=_("operation number")),
                FieldSpec(
                    "kind", "choice", choices=("loading", "unloading", "yard_storage"), label=_("operation kind")
                ),
                *ENTERPRISE_FIELDS,
                FieldSpec("vessel", "str", max_length=100, label=_("vessel")),
                FieldSpec("voyage", "str", required=False, max_length=40, label=_("voyage")),
                FieldSpec("berth", "str", max_length=40, label=_("berth")),
                FieldSpec("yard_position", "str", required=False, max_length=40, label=_("yard position")),
                FieldSpec("un_number", "un_number", label=_("UN number")),
                FieldSpec("quantity", "decimal", label=_("quantity")),
                FieldSpec("unit", "unit", label=_("unit")),
                FieldSpec("started_at", "datetime", label=_("started at")),
                FieldSpec("ended_at", "datetime", required=False, label=_("ended at")),
            ),
            readers=(
                *GOVERNMENT_READERS,
                Reader(_("Emergency management"), _("Dangerous goods entering the zone (cross-border chain)")),
                Reader(_("Fire and rescue"), _("Knowing what is on the quay and in the yard during an incident")),
            ),
            legal_basis="港口危险货物安全管理规定 (交通运输部令2017年第27号); 船舶载运危险货物安全监督管理规定",
            checks=(_ends_after_start("started_at", "ended_at"), _yard_position_for_storage),
        ),
        DatasetSpec(
            slug="special-equipment",
            model=m.SpecialEquipment,
            label=_("Special-equipment registrations"),
            owner_departments=("market",),
            classification=Classification.INTERNAL,
            natural_key=("registration_no",),
            fields=(
                FieldSpec("registration_no", "str", max_length=40, label=_("registration number")),
                FieldSpec("category", "choice", choices=tuple(EquipmentCategory.values), label=_("equipment category")),
                FieldSpec("equipment_name", "str", required=False, max_length=200, label=_("equipment name")),
                *ENTERPRISE_FIELDS,
                FieldSpec("location", "str", max_length=200, label=_("equipment location")),
                FieldSpec("last_inspected_on", "date", required=False, label=_("last inspection")),
                FieldSpec("next_inspection_on", "date", label=_("next inspection due")),
            ),
            readers=(
                *GOVERNMENT_READERS,
                Reader(_("Emergency management"), _("Overdue inspections in hazard assessments")),
            ),
            legal_basis="特种设备安全法 第三十三条, 第四十条; 特种设备目录 (质检总局公告2014年第114号)",
            checks=(_ends_after_start("last_inspected_on", "next_inspection_on"),),
        ),
        DatasetSpec(
            slug="safety-licences",
            model=m.SafetyLicence,
            label=_("Safety licences and qualifications"),
            owner_departments=("emergency",),
            classification=Classification.CONFIDENTIAL,
            natural_key=("licence_type", "licence_no"),
            fields=(
                FieldSpec("licence_type", "choice", choices=tuple(LicenceType.values), label=_("licence type")),
                FieldSpec("licence_no", "str", max_length=60, label=_("licence number")),
                *ENTERPRISE_FIELDS,
                FieldSpec("holder_name", "str", required=False, max_length=100, label=_("holder (person)")),
                FieldSpec("scope", "str", max_length=500, label=_("licence scope")),
                FieldSpec("valid_from", "date", label=_("valid from")),
                FieldSpec("valid_until", "date", label=_("valid until")),
            ),
            readers=(
                Reader(_("Emergency management"), _("Licensing and supervision of the licence holders")),
                Reader(_("Other departments, under a grant"), _("Checking a licence during their own supervision")),
            ),
            legal_basis=(
                "安全生产许可证条例 第二条; 危险化学品安全管理条例 第二十九条, 第三十三条; "
                "安全生产法 第二十七条, 第三十条"
            ),
            checks=(_ends_after_start("valid_from", "valid_until"), _holder_for_personal_certificates),
        ),
        DatasetSpec(
            slug="transport-tracks",
            model=m.TransportTrack,
            label=_("Transport tracks"),
            owner_departments=("transport",),
            classification=Classification.INTERNAL,
            natural_key=("vehicle", "recorded_at"),
            fields=(
                FieldSpec("vehicle", "str", max_length=40, label=_("vehicle")),
                FieldSpec("recorded_at", "datetime", label=_("time")),
                *ENTERPRISE_FIELDS,
                FieldSpec("latitude", "latitude", label=_("latitude")),
                FieldSpec("longitude", "longitude", label=_("longitude")),
                FieldSpec("speed_kmh", "decimal", required=False, label=_("speed (km/h)")),
            ),
            readers=(
                *GOVERNMENT_READERS,
                Reader(_("Fire and rescue"), _("Where dangerous-goods vehicles are during an incident")),
            ),
            legal_basis="道路运输车辆动态监督管理办法 第十五条; JT/T 808-2019",
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
