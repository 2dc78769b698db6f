from datetime import datetime

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
