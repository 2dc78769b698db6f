"""File once, share with many (issue 4, item 6): an enterprise's documents (licences, SDS, certificates, plans).

An enterprise uploads a document once; every department entitled to it reads it on the enterprise profile, and other
modules (filings …) record that they used it instead of asking for the file again (国务院关于加快推进“互联网+政务服务”
工作的指导意见 国发〔2016〕55号: 凡是能通过网络共享复用的材料，不得要求企业和群众重复提交). A newer version replaces a
document and keeps the older one as history; withdrawing hides it from use but keeps the record.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ftzsafety.core.models import SupervisedModel
from ftzsafety.documents.choices import DocumentEventKind, DocumentKind, DocumentStatus


class Document(SupervisedModel):
    """One version of an enterprise document. Owned by the enterprise's organisation; classified by kind (an
    emergency plan names people and resources: confidential) unless the uploader raises it."""

    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.UUIDField(_("series"), default=uuid.uuid4, db_index=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by",
        verbose_name=_("replaces"),
    )  # fmt: skip
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    number = models.CharField(_("document number"), max_length=100, blank=True, default="")
    issued_by = models.CharField(_("issued by"), max_length=200, blank=True, default="")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.ACTIVE)
    file_name = models.CharField(_("file name"), max_length=200)
    file_kind = models.CharField(_("file type"), max_length=16)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sm3 = models.CharField(_("SM3 digest"), max_length=64)
    is_demo = models.BooleanField(_("demo data"), default=False)

    authz_enterprise_path = "enterprise__organisation"

    class Meta:
        verbose_name = _("enterprise document")
        verbose_name_plural = _("enterprise documents")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "status", "created_at"], name="documents_enterprise_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="documents_valid_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class DocumentContent(models.Model):
    """The file's bytes, SM4-GCM encrypted under a data key (GB/T 39786-2021 storage confidentiality), bound to the
    document's row key so a blob moved to another row does not decrypt. Kept apart so lists never load it."""

    document = models.OneToOneField(Document, primary_key=True, on_delete=models.CASCADE, related_name="content")
    key_id = models.CharField(_("key id"), max_length=64)
    blob = models.BinaryField(_("encrypted content"))

    class Meta:
        verbose_name = _("document content")
        verbose_name_plural = _("document contents")

    def __str__(self) -> str:
        return f"{self.document_id}"


class DocumentUse(models.Model):
    """Where a document was used: a filing, an application … (`used_by` names the module and kind of record,
    `ref` the record). Append-only: a use once recorded stays recorded."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="uses", verbose_name=_("document"))
    used_by = models.CharField(_("used by"), max_length=64)
    ref = models.CharField(_("reference"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("used at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document use")
        verbose_name_plural = _("document uses")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "used_by", "ref"], name="documents_use_once_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.used_by}:{self.ref}"


class DocumentEvent(models.Model):
    """The document's history: uploaded, replaced, withdrawn, used. Append-only; the status mirrors the latest."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="events", verbose_name=_("document"))
    kind = models.CharField(_("event"), max_length=16, choices=DocumentEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("by"),
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True, default="")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document event")
        verbose_name_plural = _("document events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.kind}"
