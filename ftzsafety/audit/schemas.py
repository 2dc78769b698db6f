from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema


class AuditRecordOut(Schema):
    id: int
    occurred_at: datetime
    actor_id: int | None
    actor_username: str
    organisation_code: str
    ip: str
    request_id: str
    action: str
    target_type: str
    target_id: str
    target_repr: str
    outcome: str
    classification: str
    before: Any = None
    after: Any = None
    detail: Any = None
    prev_hash: str
    hash: str


class AuditRecordFilterQuery(Schema):
    person: str = Field("", description="part of the actor's user name")
    action: str = Field("", description="an action or its prefix, e.g. `enterprises.`")
    target: str = Field("", description="a target id, a target type (`enterprises.enterprise`) or part of its name")
    outcome: Literal["", "ok", "denied", "failed"] = ""
    since: date | None = Field(None, description="from the start of this day (zone time)")
    until: date | None = Field(None, description="to the end of this day (zone time)")


class VerifyOut(Schema):
    ok: bool
    count: int = Field(..., description="records verified (after the purge anchor, if any)")
    total: int = Field(..., description="records since the start of the trail, purged ones included")
    problem: str = Field(..., description="changed, removed, reordered, head_missing, anchor_unconfirmed; empty if ok")
    record_id: int | None = Field(None, description="the first record found changed, removed (after) or reordered")
    action: str
    occurred_at: datetime | None
    message: str
    anchor_record_id: int = Field(..., description="the trail starts after this record (0: from the genesis)")
