"""Back office for the hazards reference data. Self-check lists are read-only here (a new version is loaded as
data, so that past self-checks keep the version they ran); rectification periods are set through the service
(zone administration only, audited); routing rules are edited on the routing page (also a service)."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest

from ftzsafety.core.errors import DomainError
from ftzsafety.hazards import policies, services
from ftzsafety.hazards.models import ChecklistItem, ChecklistTemplate, RectificationPeriod, RoutingRule


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff and request.user.is_government)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    fields = ("position", "text_zh", "text_en", "legal_basis", "photo_required", "category", "level_if_failed")
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "title_zh", "industry_zh", "is_active")
    inlines = [ChecklistItemInline]


@admin.register(RoutingRule)
class RoutingRuleAdmin(ReadOnlyAdmin):
    list_display = ("category", "area", "industry_section", "department_code", "is_active", "note")


@admin.register(RectificationPeriod)
class RectificationPeriodAdmin(ReadOnlyAdmin):
    list_display = ("level", "days", "zone_escalation_days")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff and policies.can_manage_routing(request.user))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            services.rectification_period_set(
                actor=request.user, level=obj.level, days=obj.days, zone_escalation_days=obj.zone_escalation_days
            )
        except DomainError as error:
            raise DjangoPermissionDenied(error.message) from error
