"""Back office for the reference lists. Every save and delete goes through the services: only reference editors
(policies.can_edit_reference) change anything, and each change is audited. Cells marked uncertain are flagged."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from ftzsafety.core.errors import DomainError
from ftzsafety.dangerous_goods import policies, services
from ftzsafety.dangerous_goods.models import (
    AlphaBand,
    DangerousGood,
    DangerousGoodVariant,
    GradeBand,
    HazardCategory,
    HazardClass,
    HazardousChemical,
    NamedSubstance,
    NamedSubstanceUN,
    ReferenceDataset,
    SegregationCell,
    SegregationCode,
)


class ReferenceAdmin(admin.ModelAdmin):
    """Permissions from policies, writes through services."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_staff and policies.can_view_reference(request.user))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    @staticmethod
    def _may_edit(request: HttpRequest) -> bool:
        return bool(request.user.is_staff and policies.can_edit_reference(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_edit(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_edit(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            services.reference_record_save(actor=request.user, instance=obj)
        except DomainError as error:
            raise DjangoPermissionDenied(error.message) from error

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        try:
            services.reference_record_delete(actor=request.user, instance=obj)
        except DomainError as error:
            self.message_user(request, error.message, level=messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class VariantInline(admin.TabularInline):
    model = DangerousGoodVariant
    extra = 0
    can_delete = False
    fields = (
        "source",
        "name",
        "hazard_class",
        "subsidiary_hazards",
        "packing_group",
        "special_provisions",
        "preferred",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff and policies.can_view_reference(request.user))


@admin.register(DangerousGood)
class DangerousGoodAdmin(ReferenceAdmin):
    list_display = ("un_number", "name_zh", "name_en", "hazard_class", "is_lithium_battery")
    list_filter = ("is_lithium_battery", "in_gb12268", "in_hmt")
    search_fields = ("un_number", "name_zh", "name_en")
    inlines = [VariantInline]


class UNLinkInline(admin.TabularInline):
    model = NamedSubstanceUN
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # links change through NamedSubstanceUN's own page, which audits them

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff and policies.can_view_reference(request.user))


@admin.register(NamedSubstance)
class NamedSubstanceAdmin(ReferenceAdmin):
    list_display = ("position", "name_zh", "critical_quantity_t", "beta", "beta_uncertain")
    search_fields = ("name_zh",)
    inlines = [UNLinkInline]


@admin.register(NamedSubstanceUN)
class NamedSubstanceUNAdmin(ReferenceAdmin):
    list_display = ("un_number", "substance")
    search_fields = ("un_number", "substance__name_zh")


@admin.register(HazardCategory)
class HazardCategoryAdmin(ReferenceAdmin):
    list_display = ("code", "name_zh", "critical_quantity_t", "beta", "uncertain")


@admin.register(HazardClass)
class HazardClassAdmin(ReferenceAdmin):
    list_display = ("code", "name_zh", "name_en", "hazardous_chemical_by_class")


@admin.register(AlphaBand)
class AlphaBandAdmin(ReferenceAdmin):
    list_display = ("min_people", "max_people", "alpha")


@admin.register(GradeBand)
class GradeBandAdmin(ReferenceAdmin):
    list_display = ("grade", "min_r", "max_r")


@admin.register(SegregationCode)
class SegregationCodeAdmin(ReferenceAdmin):
    list_display = ("code", "rank", "name_zh", "name_en")


@admin.register(SegregationCell)
class SegregationCellAdmin(ReferenceAdmin):
    list_display = ("row", "column", "code", "uncertain")
    list_filter = ("uncertain", "row")
    fields = ("row", "column", "code", "uncertain", "note")
    readonly_fields = ("row", "column")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the matrix is complete; cells are changed, never added


@admin.register(HazardousChemical)
class HazardousChemicalAdmin(ReferenceAdmin):
    list_display = ("entry_no", "name_zh", "is_highly_toxic")
    search_fields = ("name_zh", "cas_text")


@admin.register(ReferenceDataset)
class ReferenceDatasetAdmin(ReferenceAdmin):
    list_display = ("code", "title_zh", "edition", "row_count", "loaded_at", "edited_at", "uncertain")
    readonly_fields = [f.name for f in ReferenceDataset._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
