from datetime import datetime

from ninja import Field, Schema


class VerifyIn(Schema):
    payload: str = Field("", max_length=4000, description="The text of the certificate's QR code (FTZC1/…).")


class VerifiedLineOut(Schema):
    un_number: str
    quantity: str
    unit: str


class VerifyOut(Schema):
    valid: bool
    reason: str = Field(
        ...,
        description="valid, revoked, expired, not_yet_valid, invalid_signature, malformed, unknown_key, "
        "unknown_certificate",
    )
    message: str
    revocation_checked: bool
    certificate: dict


class CertificateLineOut(Schema):
    un_number: str
    quantity: str
    unit: str


class CertificateOut(Schema):
    id: int
    number: str
    filing_ref: str
    enterprise_id: int
    enterprise_uscc: str
    enterprise_name: str
    title: str
    status: str
    valid_from: datetime
    valid_until: datetime
    issuer: str
    key_id: str
    issued_at: datetime
    revoked_at: datetime | None
    revocation_reason: str
    payload: str
    lines: list[CertificateLineOut]
    page_url: str
    pdf_url: str


class CertificateListOut(Schema):
    items: list[CertificateOut]
    count: int


class RevokeIn(Schema):
    reason: str = Field(..., max_length=2000)
