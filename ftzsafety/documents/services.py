"""Writes of enterprise documents: upload, replace with a newer version, withdraw, record a use, read the file.

Every write validates everything first (fields and the file, through `core.uploads`), writes nothing when a rule
fails, and leaves an audit record in the same transaction. Reading the file is audited too (GB/T 22239-2019
§8.1.4.3; confidential reads name the grant they were made under).
"""

import re
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ftzsafety import audit
from ftzsafety.core import authz
from ftzsafety.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ftzsafety.core.models import CLASSIFICATION_RANK, Classification
from ftzsafety.core.uploads import CheckedUpload, check_upload
from ftzsafety.documents import policies
from ftzsafety.documents.choices import DocumentEventKind, DocumentKind, DocumentStatus
from ftzsafety.documents.models import Document, DocumentContent, DocumentEvent, DocumentUse
from ftzsafety.security import crypto, keys

_USED_BY = re.compile(r"^[a-z][a-z0-9_.:-]{0,63}$")
# Documents whose validity the issuing rules fix, so a number and an end date are required:
# 安全生产许可证条例 第九条 (three years), 危险化学品经营许可证管理办法 第十条, 特种作业人员安全技术培训考核管理规定.
NEEDS_NUMBER_AND_VALIDITY = {DocumentKind.SAFETY_LICENCE, DocumentKind.QUALIFICATION}


def _snapshot(document: Document) -> dict[str, Any]:
    return {
        "enterprise": document.enterprise.uscc,
        "kind": document.kind,
        "title": document.title,
        "number": document.number,
        "valid_from": document.valid_from.isoformat() if document.valid_from else None,
        "valid_until": document.valid_until.isoformat() if document.valid_until else None,
        "version": document.version,
        "status": document.status,
        "classification": document.classification,
        "file_name": document.file_name,
        "size": document.size,
        "sm3": document.sm3,
    }


def _aad(document: Document) -> bytes:
    return f"documents_documentcontent|{document.row_key}".encode()


def _store(document: Document, checked: CheckedUpload) -> None:
    key_id, key = keys.current_data_key()
    DocumentContent.objects.create(
        document=document, key_id=key_id, blob=crypto.sm4_gcm_encrypt(key, checked.content, _aad(document))
    )


def _clean_fields(
    *,
    kind: str,
    title: str,
    number: str,
    issued_by: str,
    valid_from: date | None,
    valid_until: date | None,
    classification: str | None,
    errors: dict[str, list[str]],
) -> dict[str, Any]:
    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if kind not in DocumentKind.values:
        fail(
            "kind", _("Choose one of the listed document kinds: %(kinds)s.") % {"kinds": ", ".join(DocumentKind.values)}
        )
    title = (title or "").strip()
    if len(title) > 200:
        fail("title", _("At most %(n)d characters.") % {"n": 200})
    if not title and kind in DocumentKind.values:
        title = str(DocumentKind(kind).label)
    number = (number or "").strip()
    if len(number) > 100:
        fail("number", _("At most %(n)d characters.") % {"n": 100})
    issued_by = (issued_by or "").strip()
    if len(issued_by) > 200:
        fail("issued_by", _("At most %(n)d characters.") % {"n": 200})
    if kind in NEEDS_NUMBER_AND_VALIDITY:
        if not number:
            fail("number", _("The certificate number is required for this kind of document."))
        if valid_until is None:
            fail("valid_until", _("The last day of validity is required for this kind of document."))
    if valid_from and valid_until and valid_until < valid_from:
        fail(
            "valid_until",
            _("The validity ends before it starts; expected a day on or after %(day)s.")
            % {"day": valid_from.isoformat()},
        )
    if valid_until and valid_until < timezone.localdate():
        fail(
            "valid_until",
            _("The document expired on %(day)s; upload the current one.") % {"day": valid_until.isoformat()},
        )
    floor = policies.DEFAULT_CLASSIFICATION.get(kind, Classification.INTERNAL)
    chosen = classification or floor
    if chosen not in Classification.values:
        fail("classification", _("Choose public, internal or confidential."))
    elif CLASSIFICATION_RANK[Classification(chosen)] < CLASSIFICATION_RANK[Classification(floor)]:
        fail(
            "classification",
            _("This kind of document is at least %(level)s; choose that or a higher classification.")
            % {"level": Classification(floor).label},
        )
    return {
        "kind": kind,
        "title": title,
        "number": number,
        "issued_by": issued_by,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "classification": chosen,
    }


def _check_file(uploaded: Any, *, kind: str, errors: dict[str, list[str]]) -> CheckedUpload | None:
    allowed = policies.FILE_KINDS.get(kind, policies.FILE_KINDS[DocumentKind.OTHER])
    try:
        return check_upload(uploaded, field="file", allowed_kinds=allowed, max_bytes=policies.MAX_BYTES)
    except ValidationFailed as error:
        for field, messages in error.fields.items():
            errors.setdefault(field, []).extend(messages)
        return None


@audit.record_denials("documents.document.upload")
@transaction.atomic
def document_upload(
    *,
    actor: Any,
    uscc: str,
    kind: str,
    uploaded: Any,
    title: str = "",
    number: str = "",
    issued_by: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
    classification: str | None = None,
    is_demo: bool = False,
) -> Document:
    """File a document of the actor's own enterprise once (version 1 of a new series). The file is checked by
    `core.uploads` (type by content, size, name), stored SM4-GCM encrypted with its SM3 digest recorded. Nothing is
    stored when a field or the file is refused. A document filed with a department (an emergency plan) is held by
    that department (policies.FILED_WITH); the others by the enterprise."""
    from ftzsafety.enterprises.selectors import enterprise_get

    enterprise = enterprise_get(actor=actor, uscc=uscc)
    if not policies.can_upload(actor, enterprise):
        raise PermissionDenied(_("Only the enterprise itself can file its documents."))
    errors: dict[str, list[str]] = {}
    values = _clean_fields(
        kind=kind,
        title=title,
        number=number,
        issued_by=issued_by,
        valid_from=valid_from,
        valid_until=valid_until,
        classification=classification,
        errors=errors,
    )
    checked = _check_file(uploaded, kind=kind, errors=errors)
    if errors or checked is None:
        raise ValidationFailed.for_fields(errors)
    document = Document.objects.create(
        enterprise=enterprise,
        owner_id=_holder(kind, enterprise),
        created_by=actor,
        file_name=checked.name,
        file_kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        sm3=checked.sm3,
        is_demo=is_demo,
        **values,
    )
    _store(document, checked)
    DocumentEvent.objects.create(document=document, kind=DocumentEventKind.UPLOADED, actor=actor)
    audit.record(
        actor=actor,
        action="documents.document.upload",
        target=document,
        classification=document.classification,
        after=_snapshot(document),
    )
    return document


def _holder(kind: str, enterprise: Any) -> int:
    """The organisation that holds the document: the department it is filed with, else the enterprise itself."""
    from ftzsafety.accounts.selectors import department_organisation

    code = policies.FILED_WITH.get(kind)
    department = department_organisation(code) if code else None
    return department.pk if department is not None else enterprise.organisation_id


def _lock(actor: Any, document_id: int) -> Document:
    qs = Document.objects.select_for_update().select_related("enterprise")
    document = authz.get_visible(actor, qs, pk=document_id)
    return document


@audit.record_denials("documents.document.replace")
@transaction.atomic
def document_replace(
    *,
    actor: Any,
    document_id: int,
    uploaded: Any,
    number: str | None = None,
    issued_by: str | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    title: str | None = None,
) -> Document:
    """Replace a current document with a newer version (a renewed licence): the new one becomes current
    (ACTIVE, version + 1), the old one SUPERSEDED and kept as history with its uses. Fields not given are
    carried over, except the validity dates, which a renewal changes."""
    old = _lock(actor, document_id)
    if not policies.can_replace(actor, old):
        raise PermissionDenied(_("Only the enterprise itself can replace its documents."))
    if old.status != DocumentStatus.ACTIVE:
        raise InvalidTransition(
            _("Only the current version can be replaced; this one is %(status)s.")
            % {"status": DocumentStatus(old.status).label}
        )
    errors: dict[str, list[str]] = {}
    values = _clean_fields(
        kind=old.kind,
        title=old.title if title is None else title,
        number=old.number if number is None else number,
        issued_by=old.issued_by if issued_by is None else issued_by,
        valid_from=valid_from,
        valid_until=valid_until,
        classification=old.classification,
        errors=errors,
    )
    checked = _check_file(uploaded, kind=old.kind, errors=errors)
    if errors or checked is None:
        raise ValidationFailed.for_fields(errors)
    before = _snapshot(old)
    old.status = DocumentStatus.SUPERSEDED
    old.save(update_fields=["status", "updated_at"])
    document = Document.objects.create(
        enterprise=old.enterprise,
        owner_id=old.owner_id,
        created_by=actor,
        series=old.series,
        version=old.version + 1,
        replaces=old,
        file_name=checked.name,
        file_kind=checked.kind,
        content_type=checked.content_type,
        size=checked.size,
        sm3=checked.sm3,
        is_demo=old.is_demo,
        **values,
    )
    _store(document, checked)
    DocumentEvent.objects.create(
        document=old, kind=DocumentEventKind.REPLACED, actor=actor, note=f"v{document.version}"
    )
    DocumentEvent.objects.create(document=document, kind=DocumentEventKind.UPLOADED, actor=actor)
    audit.record(
        actor=actor,
        action="documents.document.replace",
        target=document,
        classification=document.classification,
        before=before,
        after=_snapshot(document),
    )
    return document


@audit.record_denials("documents.document.withdraw")
@transaction.atomic
def document_withdraw(*, actor: Any, document_id: int, reason: str) -> Document:
    """Withdraw a current document (ACTIVE → WITHDRAWN): it is no longer offered for use, its record, file and
    uses stay for the audit trail. Only the enterprise's administrator; a reason is required."""
    document = _lock(actor, document_id)
    if not policies.can_withdraw(actor, document):
        raise PermissionDenied(_("Only the enterprise's administrator can withdraw its documents."))
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed.for_fields({"reason": [_("Say why the document is withdrawn.")]})
    if len(text) > 500:
        raise ValidationFailed.for_fields({"reason": [_("At most %(n)d characters.") % {"n": 500}]})
    if document.status != DocumentStatus.ACTIVE:
        raise InvalidTransition(
            _("Only the current version can be withdrawn; this one is %(status)s.")
            % {"status": DocumentStatus(document.status).label}
        )
    before = _snapshot(document)
    document.status = DocumentStatus.WITHDRAWN
    document.save(update_fields=["status", "updated_at"])
    DocumentEvent.objects.create(document=document, kind=DocumentEventKind.WITHDRAWN, actor=actor, note=text)
    audit.record(
        actor=actor,
        action="documents.document.withdraw",
        target=document,
        classification=document.classification,
        before=before,
        after=_snapshot(document),
        detail={"reason": text},
    )
    return document


@transaction.atomic
def document_use_record(*, actor: Any, document: Document | int, used_by: str, ref: str) -> DocumentUse:
    """Record that `used_by` (a module and record kind, e.g. "filings.dg_filing") used the document for the record
    `ref`, instead of asking the enterprise for the file again. Recording the same use twice returns the first.

    `actor=None` is the system itself (a task); otherwise the actor must be able to read the document. Only a
    current (ACTIVE) document can be used."""
    document_id = document.pk if isinstance(document, Document) else int(document)
    if actor is None:
        locked = Document.objects.select_for_update().select_related("enterprise").get(pk=document_id)
    else:
        if not policies.can_record_use(actor):
            raise PermissionDenied(_("You may not record uses of documents."))
        locked = _lock(actor, document_id)
    errors: dict[str, list[str]] = {}
    used_by = (used_by or "").strip()
    ref = (ref or "").strip()
    if not _USED_BY.match(used_by):
        errors["used_by"] = [
            _("Name the module and kind of record in lower case, e.g. “filings.dg_filing” (at most 64 characters).")
        ]
    if not ref:
        errors["ref"] = [_("Give the number or id of the record that used the document.")]
    elif len(ref) > 100:
        errors["ref"] = [_("At most %(n)d characters.") % {"n": 100}]
    if errors:
        raise ValidationFailed.for_fields(errors)
    existing = DocumentUse.objects.filter(document=locked, used_by=used_by, ref=ref).first()
    if existing is not None:
        return existing
    if locked.status != DocumentStatus.ACTIVE:
        raise Conflict(
            _("This document is %(status)s; use the current version.")
            % {"status": DocumentStatus(locked.status).label},
            code="document_not_current",
        )
    use = DocumentUse.objects.create(
        document=locked,
        used_by=used_by,
        ref=ref,
        actor=actor,
        organisation_id=getattr(actor, "organisation_id", None),
    )
    DocumentEvent.objects.create(document=locked, kind=DocumentEventKind.USED, actor=actor, note=f"{used_by} {ref}")
    audit.record(
        actor=actor,
        action="documents.document.use",
        target=locked,
        classification=locked.classification,
        detail={"used_by": used_by, "ref": ref},
    )
    return use


@transaction.atomic
def document_download(*, actor: Any, document_id: int) -> tuple[Document, bytes]:
    """The document and its decrypted bytes, for someone who may read it. Every download is audited; a confidential
    one read by anyone but its enterprise names the grant it was read under. The SM3 digest is checked: a file
    that does not match what was uploaded is never served."""
    from ftzsafety.security.masking import is_owner_viewer
    from ftzsafety.security.selectors import grant_covering
    from ftzsafety.security.services import record_confidential_read

    document = authz.get_visible(actor, Document.objects.select_related("enterprise", "content"), pk=document_id)
    stored = document.content
    data = crypto.sm4_gcm_decrypt(keys.data_key(stored.key_id), bytes(stored.blob), _aad(document))
    if crypto.sm3_hex(data) != document.sm3:
        raise Conflict(_("The stored file does not match its recorded digest; it is not served."), code="integrity")
    audit.record(
        actor=actor,
        action="documents.document.download",
        target=document,
        classification=document.classification,
        detail={"sm3": document.sm3, "size": document.size},
    )
    if document.classification == Classification.CONFIDENTIAL:
        own = is_owner_viewer(actor, document)
        record_confidential_read(actor, document, None if own else grant_covering(actor, document))
    return document, data
