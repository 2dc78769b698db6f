"""Pure rules about who may do what with enterprise documents."""

from typing import Any

from django.conf import settings

from ftzsafety.core import authz
from ftzsafety.core.models import Classification
from ftzsafety.core.uploads import DOCUMENT_KINDS, UploadKind
from ftzsafety.documents.choices import DocumentKind

# What a document may be: PDF or an image of it (a scan or a photo); SDS may also be plain text.
FILE_KINDS: dict[str, frozenset[UploadKind]] = {
    kind: (DOCUMENT_KINDS | {UploadKind.TEXT}) if kind == DocumentKind.SDS else DOCUMENT_KINDS
    for kind in DocumentKind.values
}
MAX_BYTES = getattr(settings, "DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)

# Default classification by kind. A business licence is public registry information (企业信息公示暂行条例 第八条);
# an emergency plan names people, phones and resources (个人信息保护法 第二十八条; 生产安全事故应急预案管理办法
# 第二十六条 files it with the regulator, not the public): confidential; the rest are internal supervision records.
DEFAULT_CLASSIFICATION: dict[str, str] = {
    DocumentKind.BUSINESS_LICENCE: Classification.PUBLIC,
    DocumentKind.SAFETY_LICENCE: Classification.INTERNAL,
    DocumentKind.SDS: Classification.INTERNAL,
    DocumentKind.QUALIFICATION: Classification.INTERNAL,
    DocumentKind.EMERGENCY_PLAN: Classification.CONFIDENTIAL,
    DocumentKind.OTHER: Classification.INTERNAL,
}


# Documents filed WITH a department (备案) are held by that department: an emergency plan is filed with emergency
# management (生产安全事故应急预案管理办法 第二十六条), which reads it as its own; others need its grant.
# Other documents stay the enterprise's own.
FILED_WITH: dict[str, str] = {DocumentKind.EMERGENCY_PLAN: "emergency"}


def _own_enterprise(actor: Any, enterprise: Any) -> bool:
    return bool(
        getattr(actor, "is_enterprise_user", False)
        and enterprise.organisation_id is not None
        and enterprise.organisation_id == actor.organisation_id
    )


def can_upload(actor: Any, enterprise: Any) -> bool:
    """An enterprise files its own documents; nobody files them on its behalf."""
    return _own_enterprise(actor, enterprise) and authz.has_perm(actor, "documents.add_document")


def can_replace(actor: Any, document: Any) -> bool:
    return _own_enterprise(actor, document.enterprise) and authz.has_perm(actor, "documents.change_document")


def can_withdraw(actor: Any, document: Any) -> bool:
    return _own_enterprise(actor, document.enterprise) and authz.has_perm(actor, "documents.delete_document")


def can_record_use(actor: Any) -> bool:
    """Any signed-in government or enterprise person whose work used the document (the caller has already read it:
    the service checks visibility)."""
    return bool(getattr(actor, "is_government", False) or getattr(actor, "is_enterprise_user", False))
