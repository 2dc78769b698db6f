"""Back office: read-only views for support. Every change goes through the services (and their audit record):
requests and grants through the pages and the API, approval chains through `services.approval_chain_set`."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ftzsafety.security.models import AccessRequest, AccessRequestEvent, AccessRequestStep, ApprovalChainRule, Grant


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StepInline(admin.TabularInline):
    model = AccessRequestStep
    extra = 0
    can_delete = False
    fields = ("position", "approver_kind", "approver_organisation", "status", "decided_by", "decided_at", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ("id", "requester", "content_type", "object_id", "owner", "status", "valid_until", "created_at")
    list_filter = ("status", "content_type")
    search_fields = ("requester__username", "owner__code", "purpose")
    inlines = [StepInline]


@admin.register(AccessRequestEvent)
class AccessRequestEventAdmin(ReadOnlyAdmin):
    list_display = ("request", "kind", "actor", "created_at")
    list_filter = ("kind",)


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "content_type", "object_id", "owner", "valid_from", "valid_until", "revoked_at")
    list_filter = ("content_type",)
    search_fields = ("user__username", "owner__code")


@admin.register(ApprovalChainRule)
class ApprovalChainRuleAdmin(ReadOnlyAdmin):
    list_display = ("content_type", "position", "approver_kind")
