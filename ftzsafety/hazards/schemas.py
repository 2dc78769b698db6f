from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict


class HazardOut(Schema):
    id: int
    code: str | None
    source: str
    category: str
    level: str
    urgent: bool
    title: str
    description: str
    status: str
    enterprise: str | None = Field(None, description="credit code of the enterprise concerned")
    department: str = Field(..., description="department code of the responsible department")
    routing_reason: str
    officer: str | None
    latitude: float | None
    longitude: float | None
    location_text: str
    deadline: datetime | None
    listed_for_supervision: bool
    escalation: int
    classification: str
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_enterprise(obj: Any) -> str | None:
        return obj.enterprise.uscc if obj.enterprise_id else None

    @staticmethod
    def resolve_department(obj: Any) -> str:
        return obj.department.department_code

    @staticmethod
    def resolve_routing_reason(obj: Any) -> str:
        from ftzsafety.hazards.routing import routing_reason

        return routing_reason(obj.routing_basis, obj.department)

    @staticmethod
    def resolve_officer(obj: Any) -> str | None:
        return obj.officer.username if obj.officer_id else None


class HazardFilterQuery(Schema):
    q: str = ""
    status: str = Field("", description='a status, or "open"')
    category: str = ""
    level: str = ""
    department: str = Field("", description="department code")
    enterprise: str = Field("", description="credit code")
    overdue: bool | None = None
    listed: bool | None = None
    mine: bool = False


class HazardIn(Schema):
    model_config = ConfigDict(extra="forbid")

    category: str = Field(
        ...,
        description="fire, electrical, special_equipment, hazardous_chemicals, hazardous_waste, confined_space, "
        "work_at_height, port_dg, other",
    )
    level: str = Field("general", description="general or major (第16号令 第三条)")
    title: str
    description: str
    latitude: float | None = None
    longitude: float | None = None
    location_text: str = ""
    enterprise_uscc: str = ""
    urgent: bool = False


class PublicHazardIn(HazardIn):
    reporter_name: str = ""
    reporter_phone: str = ""


class PublicReceiptOut(Schema):
    code: str
    routing_reason: str
    message: str


class EventOut(Schema):
    kind: str
    at: datetime
    actor: str
    note: str
    data: dict


class AssignIn(Schema):
    officer_id: int | None = Field(None, description="omit to take the hazard yourself")


class RerouteIn(Schema):
    department: str
    reason: str


class DispatchIn(Schema):
    accept: bool


class VerifyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    confirmed: bool
    reason: str = ""
    level: str | None = None
    deadline: datetime | None = None


class RectifyIn(Schema):
    note: str


class AcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    passed: bool
    opinion: str = ""
    deadline: datetime | None = None


class RoutingRuleOut(Schema):
    id: int
    category: str
    area: str | None
    industry_section: str
    department: str = Field(..., alias="department_code")
    is_active: bool
    note: str

    @staticmethod
    def resolve_area(obj: Any) -> str | None:
        return obj.area.code if obj.area_id else None


class RoutingRuleIn(Schema):
    model_config = ConfigDict(extra="forbid")

    category: str
    department: str
    area: str = ""
    industry_section: str = ""
    is_active: bool = True
    note: str = ""


class CountsOut(Schema):
    department_code: str
    department: str
    open: int
    overdue: int
    major: int


class NotificationOut(Schema):
    id: int
    kind: str
    hazard_id: int | None
    text: str
    created_at: datetime
    read_at: datetime | None


class ChecklistItemOut(Schema):
    id: int
    position: int
    text_zh: str
    text_en: str
    legal_basis: str
    photo_required: bool
    category: str
    level_if_failed: str


class ChecklistOut(Schema):
    id: int
    code: str
    version: int
    title_zh: str
    title_en: str
    industry_zh: str
    industry_en: str
    items: list[ChecklistItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list:
        return list(obj.items.all())


class SelfCheckAnswerIn(Schema):
    item_id: int
    result: str = Field(..., description="pass, fail or na")
    note: str = ""


class SelfCheckIn(Schema):
    template_id: int
    answers: list[SelfCheckAnswerIn]


class SelfCheckOut(Schema):
    id: int
    template: str
    version: int
    enterprise: str
    submitted_at: datetime | None
    failed_hazards: list[str]

    @staticmethod
    def resolve_template(obj: Any) -> str:
        return obj.template.code

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return obj.template.version

    @staticmethod
    def resolve_enterprise(obj: Any) -> str:
        return obj.enterprise.uscc

    @staticmethod
    def resolve_failed_hazards(obj: Any) -> list[str]:
        return [a.hazard.code for a in obj.answers.all() if a.hazard_id]
