"""API schemas of filings; every field listed."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class FilingCreateIn(Schema):
    filing_type: str = Field(..., description="dg_pre_arrival | safety_qualification | foreign_training")
    form: dict[str, Any]


class FilingUpdateIn(Schema):
    form: dict[str, Any]


class DecisionIn(Schema):
    decision: str = Field(..., description="approve | reject | request_info")
    opinion: str = ""


class InformationIn(Schema):
    response: str


class RevokeIn(Schema):
    reason: str


class FalseFilingIn(Schema):
    reasons: list[str]
    note: str = ""


class FilingFilterQuery(Schema):
    status: str = ""
    filing_type: str = ""
    q: str = ""


class MetricsQuery(Schema):
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")


class FindingOut(Schema):
    rule_id: str
    severity: str
    field: str
    message_zh: str
    message_en: str
    source: str
    round: int


class ReviewOut(Schema):
    id: int
    department: str
    department_name: str
    status: str
    reason: str
    priority: int
    started_at: datetime
    deadline_at: datetime
    paused_seconds: int
    decided_at: datetime | None
    opinion: str
    info_request: str
    info_response: str


class AttachmentOut(Schema):
    id: int
    kind: str
    un_number: str
    name: str
    content_type: str
    size: int
    sm3: str
    sections: list[int]


class EventOut(Schema):
    kind: str
    at: datetime
    department: str
    status: str
    note: str
    actor: str


class FilingListItemOut(Schema):
    id: int
    reference: str
    filing_type: str
    status: str
    enterprise_uscc: str
    enterprise_name: str
    credit_grade: str
    priority: int
    submitted_at: datetime | None
    decided_at: datetime | None
    reviews: list[dict[str, str]]


class FilingOut(FilingListItemOut):
    form: dict[str, Any]
    contact_name: str
    contact_phone: str
    fast_lane: bool
    false_filing: bool
    prereview_round: int
    findings: list[FindingOut]
    attachments: list[AttachmentOut]
    events: list[EventOut]
    certificate: dict[str, Any] | None


class QueueItemOut(Schema):
    review: ReviewOut
    filing_id: int
    reference: str
    filing_type: str
    enterprise_name: str


class MetricsItemOut(Schema):
    filing_id: int
    reference: str
    filing_type: str
    status: str
    is_demo: bool
    review_started_at: datetime
    decided_at: datetime
    departments: dict[str, float | None]
    parallel_hours: float | None
    sequential_hours: float | None


class MetricsOut(Schema):
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    count: int
    mean_parallel_hours: float | None
    mean_sequential_hours: float | None
    reduction: float | None
    items: list[MetricsItemOut]


class FilingTypeOut(Schema):
    code: str
    name_zh: str
    name_en: str
    rules: list[dict[str, Any]]


class DestinationOut(Schema):
    code: str
    name_zh: str
    name_en: str
    kind: str
    area_code: str
    accepted_classes: list[str]
