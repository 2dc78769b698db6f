from datetime import date, datetime

from ninja import Field, Schema
from pydantic import ConfigDict


class AccessRequestIn(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently dropped

    dataset: str = Field(..., description='Model label of the dataset, e.g. "enterprises.enterprise"')
    owner: str = Field("", description="Code of the owning organisation (a whole dataset); empty with object_id")
    object_id: int | None = Field(None, description="One record of the dataset; its owner is taken from it")
    fields: list[str] = Field(default_factory=list, description="Declared sensitive fields to be shown unmasked")
    purpose: str = Field(..., description="What the data is needed for (required)")
    valid_until: date | None = Field(..., description="Last day of access, at most 180 days ahead")


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = ""


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., description="Required: why")


class StepOut(Schema):
    position: int
    approver_kind: str
    approver_role: str
    approver_organisation: str | None = None
    status: str
    decided_by: str | None = None
    decided_at: datetime | None
    note: str

    @staticmethod
    def resolve_approver_organisation(obj: object) -> str | None:
        org = getattr(obj, "approver_organisation", None)
        return org.code if org else None

    @staticmethod
    def resolve_decided_by(obj: object) -> str | None:
        user = getattr(obj, "decided_by", None)
        return user.get_username() if user else None


class AccessRequestOut(Schema):
    id: int
    requester: str
    dataset: str
    object_id: int | None
    owner: str
    fields: list[str]
    purpose: str
    valid_until: date
    status: str
    created_at: datetime
    decided_at: datetime | None
    steps: list[StepOut]
    grant_id: int | None = None

    @staticmethod
    def resolve_requester(obj: object) -> str:
        return obj.requester.get_username()

    @staticmethod
    def resolve_owner(obj: object) -> str:
        return obj.owner.code

    @staticmethod
    def resolve_steps(obj: object) -> list:
        return list(obj.steps.all())

    @staticmethod
    def resolve_grant_id(obj: object) -> int | None:
        grant = getattr(obj, "grant", None) if obj.status == "approved" else None
        return grant.pk if grant else None


class GrantOut(Schema):
    id: int
    request_id: int
    user: str
    dataset: str
    object_id: int | None
    owner: str
    fields: list[str]
    purpose: str
    valid_from: datetime
    valid_until: date
    revoked_at: datetime | None
    revoked_by: str | None = None
    reason: str
    live: bool

    @staticmethod
    def resolve_user(obj: object) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_owner(obj: object) -> str:
        return obj.owner.code

    @staticmethod
    def resolve_revoked_by(obj: object) -> str | None:
        return obj.revoked_by.get_username() if obj.revoked_by else None

    @staticmethod
    def resolve_live(obj: object) -> bool:
        return obj.is_live


class AccessRequestFilters(Schema):
    status: str = Field("", description="pending, approved, refused or withdrawn")
    mine: bool = Field(False, description="Only your own requests")


class GrantFilters(Schema):
    mine: bool = Field(False, description="Only your own grants")
    live: bool = Field(False, description="Only grants in force today")
