"""Reads of the data exchange. Dataset rows are SupervisedModels (core.authz's rule); jobs and the resolution
queue are government work, scoped below."""

from typing import Any

from django.db.models import Prefetch, QuerySet

from ftzsafety.core import authz
from ftzsafety.exchange import policies
from ftzsafety.exchange.datasets import DATASETS, dataset_spec
from ftzsafety.exchange.models import (
    ImportJob,
    PendingRegistration,
    ResolutionCandidate,
    ResolutionCase,
)


@authz.register_scope(ImportJob)
def _job_scope(actor: Any, qs: QuerySet) -> QuerySet:
    """A department sees its own import jobs; the zone administration sees all of them."""
    if not policies.can_view_exchange(actor):
        return qs.none()
    if getattr(actor.organisation, "department_code", "") == "zone_admin":
        return qs
    return qs.filter(owner_id=actor.organisation_id)


@authz.register_scope(ResolutionCase)
@authz.register_scope(PendingRegistration)
def _queue_scope(actor: Any, qs: QuerySet) -> QuerySet:
    return qs if policies.can_view_exchange(actor) else qs.none()


def import_job_list(*, actor: Any, dataset: str = "") -> QuerySet[ImportJob]:
    qs = authz.visible_to(actor, ImportJob.objects.select_related("actor", "owner"))
    return qs.filter(dataset=dataset) if dataset else qs


def import_job_get(*, actor: Any, job_id: int) -> ImportJob:
    return authz.get_visible(actor, ImportJob.objects.select_related("actor", "owner"), pk=job_id)


def dataset_records(*, actor: Any, dataset: str) -> QuerySet:
    """Rows of a dataset the actor may read (association users: public rows; enterprises: their own)."""
    spec = dataset_spec(dataset)
    qs = authz.visible_to(actor, spec.model.objects.select_related("enterprise"))
    if spec.child:
        qs = qs.prefetch_related(spec.child.model._meta.get_field(spec.child.parent_field).remote_field.related_name)
    return qs


def resolution_case_list(*, actor: Any, open_only: bool = True) -> QuerySet[ResolutionCase]:
    qs = authz.visible_to(actor, ResolutionCase.objects.all())
    if open_only:
        qs = qs.filter(status="open")
    return qs.prefetch_related(
        Prefetch("candidates", queryset=ResolutionCandidate.objects.select_related("enterprise").order_by("-score"))
    )


def pending_registration_list(*, actor: Any, status: str = "") -> QuerySet[PendingRegistration]:
    qs = authz.visible_to(actor, PendingRegistration.objects.select_related("enterprise"))
    return qs.filter(status=status) if status else qs


def pending_registration_get(*, actor: Any, pending_id: int) -> PendingRegistration:
    return authz.get_visible(actor, PendingRegistration.objects.select_related("enterprise"), pk=pending_id)


def waiting_rows(*, name_key: str) -> int:
    """How many dataset rows wait on this name."""
    return sum(
        spec.model.objects.filter(name_key=name_key, enterprise__isnull=True).count() for spec in DATASETS.values()
    )


def catalogue(*, actor: Any) -> list[dict[str, Any]]:
    """The sharing catalogue: each dataset's owner, classification, fields (sensitive kinds), readers, purposes."""
    from ftzsafety.accounts.choices import DepartmentCode
    from ftzsafety.core.models import Classification, SensitiveKind

    entries = []
    for spec in DATASETS.values():
        kinds = spec.model.sensitive_field_kinds()
        fields = [
            {
                "name": f.name,
                "label": str(f.label),
                "type": f.kind,
                "required": f.required,
                "sensitive": kinds.get(f.name, ""),
                "sensitive_label": str(SensitiveKind(kinds[f.name]).label) if f.name in kinds else "",
            }
            for f in spec.fields
        ]
        if spec.child:
            fields += [
                {
                    "name": f"{spec.child.name}[].{f.name}",
                    "label": str(f.label),
                    "type": f.kind,
                    "required": f.required,
                    "sensitive": "",
                    "sensitive_label": "",
                }
                for f in spec.child.fields
            ]
        entries.append(
            {
                "slug": spec.slug,
                "label": str(spec.label),
                "owners": [{"code": c, "name": str(DepartmentCode(c).label)} for c in spec.owner_departments],
                "classification": spec.classification,
                "classification_label": str(Classification(spec.classification).label),
                "natural_key": list(spec.natural_key),
                "fields": fields,
                "readers": [{"who": str(r.who), "purpose": str(r.purpose)} for r in spec.readers],
                "legal_basis": str(spec.legal_basis),
                "can_write": policies.can_write(actor, spec),
            }
        )
    return entries


# --- system reads for other modules' rules (no person's view involved; callers disclose only their conclusions) ---

# Licences an enterprise (not a person) holds for dealing in dangerous goods.
ENTERPRISE_LICENCE_TYPES = ("safety_production", "hazchem_operation", "hazchem_use", "port_dg_operation")


def warehouse_stock(*, warehouse: str, since: Any, until: Any) -> list[str]:
    """UN numbers in stock at a warehouse by the park storage inventories: the latest report of each enterprise and
    UN number in [since, until], quantity > 0. Filings' pre-review uses it for a destination's current stock."""
    rows = (
        dataset_spec("storage-inventories")
        .model.objects.filter(warehouse=warehouse, as_of__gte=since, as_of__lte=until)
        .exclude(un_number="")
        .order_by("enterprise_code", "un_number", "-as_of")
        .values_list("enterprise_code", "un_number", "quantity")
    )
    latest: dict[tuple[str, str], Any] = {}
    for code, number, quantity in rows:
        latest.setdefault((code, number), quantity)
    return sorted({number for (_code, number), quantity in latest.items() if quantity and quantity > 0})


def enterprise_licences(*, enterprise: Any) -> list[dict[str, Any]]:
    """The enterprise licences emergency management records in `safety-licences` (not personal certificates), each
    with its number, type and validity dates."""
    spec = DATASETS.get("safety-licences")
    if spec is None:
        return []
    return [
        {
            "reference": licence.licence_no,
            "kind": licence.licence_type,
            "valid_from": licence.valid_from,
            "valid_until": licence.valid_until,
        }
        for licence in spec.model.objects.filter(enterprise=enterprise, licence_type__in=ENTERPRISE_LICENCE_TYPES)
    ]
