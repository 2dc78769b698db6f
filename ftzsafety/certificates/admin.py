"""Back office: read-only views of e-certificates for support. Issuing and revoking go through the services (with
their audit records): issuing when a filing is approved, revoking on the certificate page or the API."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ftzsafety.certificates.models import Certificate, CertificateEvent, CertificateLine


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LineInline(_ReadOnlyInline):
    model = CertificateLine
    fields = ("position", "un_number", "quantity", "unit")
    readonly_fields = fields


class EventInline(_ReadOnlyInline):
    model = CertificateEvent
    fields = ("created_at", "kind", "actor", "note")
    readonly_fields = fields


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("number", "filing_ref", "enterprise_uscc", "status", "valid_from", "valid_until", "is_demo")
    list_filter = ("status", "is_demo")
    search_fields = ("number", "filing_ref", "enterprise_uscc")
    inlines = [LineInline, EventInline]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
