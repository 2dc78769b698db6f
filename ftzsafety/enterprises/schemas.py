from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict


class EnterpriseOut(Schema):
    uscc: str
    uscc_check_override: bool
    name_zh: str
    name_en: str
    organisation_form: str
    foreign_invested: bool
    investor_country: str = Field(..., description="ISO 3166-1 alpha-2; empty when not foreign-invested")
    industry_section: str
    industry_class: str | None = Field(None, alias="industry_class_id")
    area: str | None = Field(None, alias="area.code")
    address: str
    latitude: float | None
    longitude: float | None
    business_scope: str
    classification: str
    is_demo: bool
    updated_at: datetime

    @staticmethod
    def resolve_investor_country(obj: object) -> str:
        return str(getattr(obj, "investor_country", "") or "")

    @staticmethod
    def resolve_area(obj: object) -> str | None:
        area = getattr(obj, "area", None)
        return area.code if area else None


class EnterpriseCreate(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently dropped

    uscc: str = Field(..., description="Unified social credit code, 18 characters (GB 32100-2015)")
    override_check_character: bool = Field(
        False, description="Accept a code whose check character fails (registry keepers only; audited)"
    )
    name_zh: str | None = None
    name_en: str | None = None
    organisation_form: str | None = None
    foreign_invested: bool | None = None
    investor_country: str | None = None
    industry_section: str | None = None
    industry_class: str | None = None
    area: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    business_scope: str | None = None
    classification: str | None = None


class EnterprisePatch(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently dropped

    uscc: str | None = Field(None, description="The credit code never changes; if given it must be the current one")
    name_zh: str | None = None
    name_en: str | None = None
    organisation_form: str | None = None
    foreign_invested: bool | None = None
    investor_country: str | None = None
    industry_section: str | None = None
    industry_class: str | None = None
    area: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    business_scope: str | None = None
    classification: str | None = None


class EnterpriseFilterQuery(Schema):
    q: str = Field("", description="Name (Chinese or English) or credit-code prefix")
    area: str = Field("", description="Zone area code")
    industry_section: str = Field("", description="GB/T 4754-2017 section letter")
    industry_class: str = Field("", description="GB/T 4754-2017 class code")
    foreign_invested: bool | None = None
    cross_border_dangerous_goods: bool = Field(
        False,
        description="Only enterprises with dangerous goods (a UN number) declared at customs and carried under a "
        "waybill with the same UN number in the period; each item then carries `cross_border`, its chain summary",
    )
    since: str = Field("", description="First day of the period (YYYY-MM-DD) for cross_border_dangerous_goods")


class CrossBorderSummaryOut(Schema):
    un_numbers: list[str] = Field(..., description="UN numbers both declared at customs and carried, sorted")
    declarations: int = Field(..., description="Customs declarations with those UN numbers in the period")
    waybills: int = Field(..., description="Waybills carrying those UN numbers in the period")
    declared_quantities: dict[str, Decimal] = Field(..., description="Declared totals per unit")
    waybill_quantities: dict[str, Decimal] | None = Field(
        ..., description="Carried totals per unit; null when masked for you (a commercial figure)"
    )

    @staticmethod
    def resolve_declared_quantities(obj: Any) -> dict[str, Decimal]:
        return _thousandths(obj.declared_quantities)

    @staticmethod
    def resolve_waybill_quantities(obj: Any) -> dict[str, Decimal] | None:
        return None if obj.waybill_quantities is None else _thousandths(obj.waybill_quantities)


def _thousandths(totals: dict[str, Decimal]) -> dict[str, Decimal]:
    """Totals to three decimals (the datasets' precision), the same on SQLite and PostgreSQL."""
    return {unit: Decimal(total or 0).quantize(Decimal("0.001")) for unit, total in totals.items()}


class EnterpriseListItemOut(EnterpriseOut):
    cross_border: CrossBorderSummaryOut | None = Field(
        None, description="With cross_border_dangerous_goods=true: the chain summary in the period"
    )

    @staticmethod
    def resolve_cross_border(obj: object) -> object:
        return getattr(obj, "cross_border", None)


class ContactOut(Schema):
    role: str
    name: str = Field(..., description="Masked unless you may read it in clear")
    resident_id: str
    phone: str
    updated_at: datetime


class ContactsOut(Schema):
    items: list[ContactOut]
    hidden: int = Field(..., description="Confidential rows you have no grant for (request access to see them)")
    dataset: str


class ContactIn(Schema):
    name: str
    resident_id: str = ""
    phone: str = ""


# --- the enterprise profile (一企一档; enterprises.profile) -------------------------------------------------------


class ProfileSectionOut(Schema):
    dataset: str = Field(..., description="Dataset slug (exchange catalogue)")
    label: str
    model: str = Field(..., description="app_label.model: the dataset to name in an access request")
    owners: list[dict[str, str]]
    classification: str
    classification_label: str
    restricted: bool = Field(..., description="Not shared with you at all (public data only)")
    columns: list[dict[str, str]]
    child: dict[str, Any] | None
    masked_fields: list[str] = Field(..., description="Sensitive fields: masked unless yours or granted")
    count: int = Field(..., description="Rows about this enterprise that you may see")
    hidden: int = Field(..., description="Confidential rows you may not see (a grant would open them)")
    request_access_url: str
    date_field: str
    rows: list[dict[str, Any]] = Field(..., description="The latest rows, masked to your clearance")


class ProfileDocumentsOut(Schema):
    count: int
    hidden: int
    request_access_url: str
    items: list[dict[str, Any]]
    can_upload: bool
    upload_url: str


class ProfileContactsOut(Schema):
    items: list[dict[str, Any]]
    hidden: int
    dataset: str
    request_access_url: str


class ProfileEventOut(Schema):
    at: str
    source: str
    source_label: str
    departments: list[str]
    title: str
    classification: str
    url: str = ""


class ProfileChainOut(Schema):
    items: list[dict[str, Any]] = Field(..., description="Customs declaration → port → storage → waybill chains")
    count: int
    complete: int


class ProfilePanelOut(Schema):
    key: str
    title: str
    url: str


class ProfileOut(Schema):
    enterprise: dict[str, Any]
    sections: list[ProfileSectionOut]
    documents: ProfileDocumentsOut
    contacts: ProfileContactsOut
    timeline: list[ProfileEventOut]
    chain: ProfileChainOut
    panels: list[ProfilePanelOut]
