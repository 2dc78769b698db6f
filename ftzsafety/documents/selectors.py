"""Reads of enterprise documents. Documents are SupervisedModels: `core.authz.visible_to` decides (government: public
and internal, confidential under a grant; the enterprise: its own; associations: public). Uses and events follow the
visibility of their document."""

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from ftzsafety.core import authz
from ftzsafety.documents.choices import DocumentStatus
from ftzsafety.documents.models import Document, DocumentEvent, DocumentUse


@authz.register_scope(DocumentUse)
@authz.register_scope(DocumentEvent)
def _via_document_scope(actor: Any, qs: QuerySet) -> QuerySet:
    """A use or event is visible exactly when its document is."""
    visible = authz.visible_to(actor, Document.objects.filter(pk=OuterRef("document_id")))
    return qs.filter(Exists(visible))


def document_list(*, actor: Any, uscc: str = "", kind: str = "", include_inactive: bool = False) -> QuerySet[Document]:
    """Documents the actor may read, newest first; by default only the current versions (not superseded or
    withdrawn)."""
    qs = authz.visible_to(actor, Document.objects.select_related("enterprise", "created_by"))
    if uscc:
        qs = qs.filter(enterprise__uscc=uscc.strip().upper())
    if kind:
        qs = qs.filter(kind=kind)
    if not include_inactive:
        qs = qs.filter(status=DocumentStatus.ACTIVE)
    return qs.order_by("-created_at", "-id")


def document_get(*, actor: Any, document_id: int) -> Document:
    qs = Document.objects.select_related("enterprise", "enterprise__organisation", "created_by", "owner")
    return authz.get_visible(actor, qs, pk=document_id)


def document_history(*, actor: Any, document: Document) -> QuerySet[Document]:
    """Every version of the document's series the actor may read, newest first."""
    qs = authz.visible_to(actor, Document.objects.filter(series=document.series).select_related("created_by"))
    return qs.order_by("-version")


def document_uses(*, actor: Any, document: Document) -> QuerySet[DocumentUse]:
    """Where any version of this document has been used, newest first."""
    qs = DocumentUse.objects.filter(document__series=document.series).select_related("document", "organisation")
    return authz.visible_to(actor, qs).order_by("-created_at", "-id")


def document_events(*, actor: Any, document: Document) -> QuerySet[DocumentEvent]:
    qs = DocumentEvent.objects.filter(document__series=document.series).select_related("document", "actor")
    return authz.visible_to(actor, qs).order_by("-created_at", "-id")


def document_current_unscoped(*, enterprise: Any) -> QuerySet[Document]:
    """System read: every current document of an enterprise, NOT scoped to a viewer. Only for counting how many
    confidential documents a viewer does not see (the profile's "request access"); never show its rows."""
    return Document.objects.filter(enterprise=enterprise, status=DocumentStatus.ACTIVE)
