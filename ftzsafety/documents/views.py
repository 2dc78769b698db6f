"""Document pages: parse, call a selector or service, render. DomainErrors become error pages (portal.errors)."""

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ftzsafety.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ftzsafety.documents import policies, selectors, services
from ftzsafety.documents.choices import DocumentKind
from ftzsafety.documents.forms import DocumentReplaceForm, DocumentUploadForm, DocumentWithdrawForm
from ftzsafety.documents.models import Document

PAGE_SIZE = 25


def file_response(document: Document, data: bytes) -> HttpResponse:
    """The file as an attachment, with its SM3 digest; never rendered inline (no script from an upload runs)."""
    response = HttpResponse(data, content_type=document.content_type)
    ascii_name = document.file_name.encode("ascii", "ignore").decode() or f"document-{document.pk}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name.replace(chr(34), '')}\"; filename*=UTF-8''{quote(document.file_name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Content-SM3"] = document.sm3
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    """Documents the viewer may read: filter by kind, search title, number or enterprise, include old versions."""
    kind = request.GET.get("kind", "")
    q = (request.GET.get("q") or "").strip()[:100]
    include_inactive = request.GET.get("all") == "1"
    qs = selectors.document_list(
        actor=request.user, kind=kind if kind in DocumentKind.values else "", include_inactive=include_inactive
    )
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(number__icontains=q) | Q(enterprise__name_zh__icontains=q)
            | Q(enterprise__uscc__startswith=q.upper())
        )  # fmt: skip
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "kinds": DocumentKind.choices,
        "kind": kind,
        "q": q,
        "include_inactive": include_inactive,
        "today": timezone.localdate(),
    }
    return render(request, "documents/document_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, uscc: str) -> HttpResponse:
    from ftzsafety.enterprises.selectors import enterprise_get

    enterprise = enterprise_get(actor=request.user, uscc=uscc)
    if not policies.can_upload(request.user, enterprise):
        raise PermissionDenied(_("Only the enterprise itself can file its documents."))
    form = DocumentUploadForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_upload(
                actor=request.user,
                uscc=enterprise.uscc,
                uploaded=form.cleaned_data.get("file"),
                **form.service_values(),
            )
        except ValidationFailed as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("“%(title)s” has been filed.") % {"title": document.title})
            return redirect("documents:detail", document_id=document.pk)
    return render(request, "documents/document_upload.html", {"form": form, "enterprise": enterprise})


@login_required
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.document_get(actor=request.user, document_id=document_id)
    context = {
        "document": document,
        "uses": selectors.document_uses(actor=request.user, document=document)[:100],
        "history": selectors.document_history(actor=request.user, document=document),
        "events": selectors.document_events(actor=request.user, document=document)[:100],
        "can_replace": document.status == "active" and policies.can_replace(request.user, document),
        "can_withdraw": document.status == "active" and policies.can_withdraw(request.user, document),
        "today": timezone.localdate(),
    }
    return render(request, "documents/document_detail.html", context)


@login_required
def document_file(request: HttpRequest, document_id: int) -> HttpResponse:
    document, data = services.document_download(actor=request.user, document_id=document_id)
    return file_response(document, data)


@login_required
@require_http_methods(["GET", "POST"])
def document_replace(request: HttpRequest, document_id: int) -> HttpResponse:
    document = selectors.document_get(actor=request.user, document_id=document_id)
    if not policies.can_replace(request.user, document):
        raise PermissionDenied(_("Only the enterprise itself can replace its documents."))
    form = DocumentReplaceForm(request.POST or None, request.FILES or None, initial={"number": document.number})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.document_replace(
                actor=request.user,
                document_id=document.pk,
                uploaded=data.get("file"),
                number=data.get("number") or "",
                valid_from=data.get("valid_from"),
                valid_until=data.get("valid_until"),
            )
        except ValidationFailed as error:
            form.add_service_errors(error)
        except (InvalidTransition, Conflict) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Version %(n)d is now the current one.") % {"n": new.version})
            return redirect("documents:detail", document_id=new.pk)
    return render(request, "documents/document_replace.html", {"form": form, "document": document})


@login_required
@require_http_methods(["GET", "POST"])
def document_withdraw(request: HttpRequest, document_id: int) -> HttpResponse:
    """A confirmation page; the POST with the box ticked and a reason withdraws."""
    document = selectors.document_get(actor=request.user, document_id=document_id)
    if not policies.can_withdraw(request.user, document):
        raise PermissionDenied(_("Only the enterprise's administrator can withdraw its documents."))
    form = DocumentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_withdraw(
                actor=request.user, document_id=document.pk, reason=form.cleaned_data.get("reason") or ""
            )
        except ValidationFailed as error:
            form.add_service_errors(error)
        except (InvalidTransition, Conflict) as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The document has been withdrawn."))
            return redirect("documents:detail", document_id=document.pk)
    context: dict[str, Any] = {"form": form, "document": document}
    return render(request, "documents/document_withdraw.html", context)
