from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict


class FactorOut(Schema):
    label: str = Field(..., description='"base", "event" or "bound" (the score held within [min, max])')
    contribution: Decimal
    event_id: int | None = None
    kind: str = ""
    kind_label: str = ""
    occurred_on: date | None = None
    source_module: str = ""
    source_ref: str = ""
    evidence_url: str = ""
    certificate_type: str = ""
    valid_until: date | None = None
    status: str = ""
    weight: Decimal | None = None
    decay: Decimal | None = None
    status_factor: Decimal | None = None
    recognised_from: str = ""


class HistoryOut(Schema):
    grade: str
    previous_grade: str
    score: Decimal
    policy_version: int
    reason: str
    changed_at: datetime


class RecognisedOut(Schema):
    zone_id: str
    zone: str
    grade: str
    score: Decimal
    policy_version: int
    exported_at: datetime
    imported_at: datetime


class MeasuresOut(Schema):
    grade: str
    filing_priority: int
    review_deadline_hours: int
    review_deadline_factor: Decimal
    fast_lane: bool
    extra_review_departments: list[str]
    inspection_sampling_weight: Decimal
    policy_version: int


class CreditOut(Schema):
    uscc: str
    name: str
    grade: str
    grade_label: str
    score: Decimal = Field(..., description="Exactly the sum of the factors' contributions")
    score_grade: str = Field(..., description="The grade the score alone gives, before overrides")
    as_of: date
    computed_at: datetime | None
    policy_version: int
    factors: list[FactorOut]
    overrides: list[dict[str, Any]]
    not_counted: list[dict[str, Any]]
    history: list[HistoryOut]
    recognised: list[RecognisedOut]
    measures: MeasuresOut


class EventOut(Schema):
    id: int
    kind: str
    occurred_on: date
    source_module: str
    source_ref: str
    evidence_url: str
    certificate_type: str
    valid_until: date | None
    status: str
    recognised_from: str | None = Field(None, alias="recognised_from.zone_id")
    created_at: datetime

    @staticmethod
    def resolve_recognised_from(obj: Any) -> str | None:
        return obj.recognised_from.zone_id if obj.recognised_from_id else None


class EventIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(..., description="penalty, serious_violation, certification, inspection_*, association_*, …")
    occurred_on: date
    reference: str = Field(..., description="Decision, report or certificate number")
    evidence_url: str = ""
    detail: dict[str, Any] = Field(
        default_factory=dict, description='certification: {"certificate_type", "expires_on"}'
    )


class GradeOut(Schema):
    uscc: str = Field(..., alias="enterprise.uscc")
    name: str = Field(..., alias="enterprise.name")
    grade: str
    score: Decimal
    policy_version: int = Field(..., alias="policy.version")
    as_of: date
    overrides: list[dict[str, Any]]


class GradeFilterQuery(Schema):
    grade: str = ""
    q: str = ""


class PolicyOut(Schema):
    version: int
    rules: dict[str, Any]
    note: str
    created_at: datetime


class PolicyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    rules: dict[str, Any]
    note: str = Field(..., description="Why the policy changes (required)")


class ApplicationOut(Schema):
    id: int
    uscc: str = Field(..., alias="enterprise.uscc")
    event_id: int
    event_kind: str = Field(..., alias="event.kind")
    kind: str
    status: str
    reason: str
    evidence_url: str
    due_on: date
    created_at: datetime
    decided_at: datetime | None
    decision_reason: str


class ApplicationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    event_id: int
    kind: str = Field(..., description="objection or repair")
    reason: str
    evidence_url: str = ""


class ApplicationFilterQuery(Schema):
    status: str = ""
    kind: str = ""


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    uphold: bool
    reasons: str


class PeerZoneOut(Schema):
    zone_id: str
    name_zh: str
    name_en: str
    public_key_pem: str
    active: bool
    created_at: datetime


class PeerZoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    zone_id: str
    name_zh: str
    name_en: str = ""
    public_key_pem: str


class PeerZonePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name_zh: str | None = None
    name_en: str | None = None
    public_key_pem: str | None = None
    active: bool | None = None


class RecognisedRecordOut(Schema):
    id: int
    zone_id: str = Field(..., alias="peer_zone.zone_id")
    uscc: str = Field(..., alias="enterprise.uscc")
    peer_grade: str
    peer_score: Decimal
    peer_policy_version: int
    exported_at: datetime
    document_sm3: str


class ZoneKeyOut(Schema):
    zone_id: str
    key_id: str
    public_key_pem: str


class PublicationOut(Schema):
    uscc: str = Field(..., alias="enterprise.uscc")
    name_zh: str = Field(..., alias="enterprise.name_zh")
    name_en: str = Field(..., alias="enterprise.name_en")
    grade: str
    as_of: date
