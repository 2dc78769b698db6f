"""Back office for the filings' reference data: types, review rules (the zone administration's "rules as data")
and destinations. Saves and deletes go through the services, audited."""

from typing import Any

from django.contrib import admin

from ftzsafety.filings import services
from ftzsafety.filings.models import Destination, FilingType, ReviewRule


class ReviewRuleInline(admin.TabularInline):
    model = ReviewRule
    extra = 0
    fields = ("department", "condition", "deadline_hours", "is_active", "source")


@admin.register(FilingType)
class FilingTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "is_active")
    readonly_fields = ("code",)
    inlines = [ReviewRuleInline]

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for rule in formset.deleted_objects:
            services.review_rule_delete(actor=request.user, rule=rule)
        for rule in instances:
            services.review_rule_save(actor=request.user, rule=rule)


@admin.register(ReviewRule)
class ReviewRuleAdmin(admin.ModelAdmin):
    list_display = ("filing_type", "department", "condition", "deadline_hours", "is_active")
    list_filter = ("filing_type", "department", "is_active")

    def save_model(self, request: Any, obj: ReviewRule, form: Any, change: bool) -> None:
        services.review_rule_save(actor=request.user, rule=obj)

    def delete_model(self, request: Any, obj: ReviewRule) -> None:
        services.review_rule_delete(actor=request.user, rule=obj)


@admin.register(Destination)
class DestinationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "kind", "area_code", "accepted_classes", "storage_name", "is_active")
    list_filter = ("kind", "is_active")

    def save_model(self, request: Any, obj: Destination, form: Any, change: bool) -> None:
        services.destination_save(actor=request.user, destination=obj)
