"""Writes of the data exchange: ingestion of department datasets and confirmation of entity resolution.

Ingestion (issue 4, item 2) is the one deliberate exception to "one service, one transaction": the job row is
committed first, then valid rows are written in batches, each batch in its own transaction, so a failure (or a
killed process) leaves no half-written batch and running the same import again completes it — idempotent on each
dataset's natural key. One audit record per job, not per row (GB/T 22239-2019 §8.1.4.3 keeps the trail usable).
"""

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from ftzsafety import audit
from ftzsafety.core import authz
from ftzsafety.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ftzsafety.dangerous_goods.identifiers import parse_un_number
from ftzsafety.exchange import policies
from ftzsafety.exchange.choices import CaseStatus, JobSource, JobStatus, ResolutionStatus
from ftzsafety.exchange.datasets import DATASETS, DatasetSpec, dataset_spec
from ftzsafety.exchange.models import ImportJob, PendingRegistration, ResolutionCandidate, ResolutionCase
from ftzsafety.exchange.resolution import Resolution, Resolver
from ftzsafety.exchange.validation import Problem, clean_row

BATCH_SIZE = 1000
MAX_API_ROWS = 10_000
LINK_FIELDS = ("enterprise_id", "resolution", "name_key")

Progress = Callable[[int], None]


def _chunks(rows: Iterable[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _known_un_numbers(spec: DatasetSpec, chunk: list[tuple[int, Any]]) -> set[str]:
    """The UN numbers of this chunk that are in the dangerous-goods list (one query)."""
    from ftzsafety.dangerous_goods.selectors import dangerous_goods_by_number

    names = [f.name for f in spec.fields if f.kind == "un_number"]
    child_names = [f.name for f in spec.child.fields if f.kind == "un_number"] if spec.child else []
    raw: set[str] = set()
    for _n, row in chunk:
        if not isinstance(row, dict):
            continue
        raw.update(str(row.get(n) or "") for n in names)
        if spec.child and isinstance(row.get(spec.child.name), list):
            for line in row[spec.child.name]:
                if isinstance(line, dict):
                    raw.update(str(line.get(n) or "") for n in child_names)
    numbers = []
    for value in raw:
        try:
            numbers.append(parse_un_number(value))
        except ValueError:
            continue
    return set(dangerous_goods_by_number(actor=None, un_numbers=numbers)) if numbers else set()


def _natural_key(spec: DatasetSpec, values: dict[str, Any] | Model) -> tuple:
    get = values.get if isinstance(values, dict) else lambda name: getattr(values, name)
    return tuple(get(name) for name in spec.natural_key)


def _existing(spec: DatasetSpec, keys: list[tuple]) -> dict[tuple, Model]:
    """Stored rows with these natural keys (a superset is filtered by IN per key column, then matched exactly)."""
    lookup = {f"{name}__in": {key[i] for key in keys} for i, name in enumerate(spec.natural_key)}
    qs = spec.model.objects.filter(**lookup)
    if spec.child:
        qs = qs.prefetch_related(spec.child.model._meta.get_field(spec.child.parent_field).remote_field.related_name)
    wanted = set(keys)
    return {k: obj for obj in qs if (k := _natural_key(spec, obj)) in wanted}


def _children_of(spec: DatasetSpec, obj: Model) -> list[dict[str, Any]]:
    if spec.child is None:
        return []
    related = spec.child.model._meta.get_field(spec.child.parent_field).remote_field.related_name
    names = [f.name for f in spec.child.fields]
    return sorted(
        ({n: getattr(line, n) for n in names} for line in getattr(obj, related).all()),
        key=lambda line: line[spec.child.key],
    )


def _scalar_fields(spec: DatasetSpec) -> list[str]:
    return [f.name for f in spec.fields]


def _differs(spec: DatasetSpec, obj: Model, values: dict[str, Any]) -> bool:
    for name in (*_scalar_fields(spec), *LINK_FIELDS):
        if getattr(obj, name) != values[name]:
            return True
    if spec.child:
        new = sorted(values[spec.child.name], key=lambda line: line[spec.child.key])
        return _children_of(spec, obj) != new
    return False


def _record_resolution(spec: DatasetSpec, values: dict[str, Any], resolution: Resolution) -> None:
    """The queue entry or pending registration a row waits on (idempotent)."""
    if resolution.status == ResolutionStatus.QUEUED:
        case, _created = ResolutionCase.objects.get_or_create(
            name_key=resolution.name_key, defaults={"reported_name": values.get("enterprise_name") or ""}
        )
        ResolutionCandidate.objects.bulk_create(
            [
                ResolutionCandidate(case=case, enterprise_id=pk, score=round(score, 4))
                for pk, score in resolution.candidates
            ],
            ignore_conflicts=True,
        )
    elif resolution.status == ResolutionStatus.PENDING_REGISTRATION:
        code = values.get("enterprise_code") or ""
        PendingRegistration.objects.get_or_create(
            name_key=resolution.name_key or f"uscc:{code}",
            defaults={
                "reported_name": values.get("enterprise_name") or code,
                "reported_code": code,
                "first_dataset": spec.slug,
            },
        )


def _write_batch(
    *, spec: DatasetSpec, job: ImportJob, actor: Any, owner_id: int, rows: list[tuple[dict[str, Any], Resolution]]
) -> tuple[int, int, int]:
    """Write one batch in one transaction: (created, updated, unchanged)."""
    with transaction.atomic():
        existing = _existing(spec, [_natural_key(spec, values) for values, _r in rows])
        to_create: list[tuple[Model, dict[str, Any]]] = []
        to_update: list[tuple[Model, dict[str, Any]]] = []
        unchanged = 0
        recorded: set[tuple[str, str]] = set()
        for values, resolution in rows:
            waiting_on = (resolution.name_key, values.get("enterprise_code") or "")
            if resolution.status != ResolutionStatus.LINKED and waiting_on not in recorded:
                recorded.add(waiting_on)  # one queue entry per name and batch, not one query per row
                _record_resolution(spec, values, resolution)
            obj = existing.get(_natural_key(spec, values))
            if obj is not None and not _differs(spec, obj, values):
                unchanged += 1
                continue
            scalars = {n: values[n] for n in (*_scalar_fields(spec), *LINK_FIELDS)}
            if obj is None:
                obj = spec.model(
                    **scalars, owner_id=owner_id, classification=spec.classification, created_by=actor, import_job=job
                )
                to_create.append((obj, values))
            else:
                for name, value in scalars.items():
                    setattr(obj, name, value)
                obj.import_job = job
                obj.updated_at = timezone.now()
                to_update.append((obj, values))
        spec.model.objects.bulk_create([obj for obj, _v in to_create])
        if to_update:
            spec.model.objects.bulk_update(
                [obj for obj, _v in to_update],
                [*_scalar_fields(spec), *LINK_FIELDS, "import_job", "updated_at"],
            )
        if spec.child:
            child = spec.child
            child.model.objects.filter(**{f"{child.parent_field}__in": [obj.pk for obj, _v in to_update]}).delete()
            child.model.objects.bulk_create(
                [
                    child.model(**{child.parent_field: obj}, **line)
                    for obj, values in to_create + to_update
                    for line in values[child.name]
                ]
            )
        return len(to_create), len(to_update), unchanged


def _problem_rows(problems: list[Problem]) -> list[dict[str, Any]]:
    return [p.as_dict() for p in problems]


def records_import(
    *,
    actor: Any,
    dataset: str,
    rows: Iterable[tuple[int, Any]],
    source: str = JobSource.API,
    source_name: str = "",
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> ImportJob:
    """Validate and store department rows `(row number, values)` for `dataset`; returns the finished job.

    Every row is validated (types, required fields, credit-code check character GB 32100-2015 §4.3, UN numbers
    against the dangerous-goods list, dates, units); rejected rows are listed with row number, field and reason
    and never stop the others. Rows are linked to enterprises (`resolution.Resolver`). A dry run validates and
    counts but writes no dataset row (the job itself is recorded). Without an actor only a dry run is possible.
    """
    spec = dataset_spec(dataset)
    department = policies.writing_department(actor, spec)
    if department is None and not (dry_run and actor is None):
        raise PermissionDenied(
            _("Only officers of %(departments)s may write the dataset “%(dataset)s”.")
            % {"departments": ", ".join(spec.owner_departments), "dataset": spec.slug},
            extra={"dataset": spec.slug},
        )
    from ftzsafety.accounts.selectors import department_organisation

    owner = department_organisation(department or spec.owner_department)
    if owner is None:
        raise Conflict(_("The department “%(code)s” is not set up.") % {"code": spec.owner_department})
    job = ImportJob.objects.create(
        dataset=spec.slug, owner=owner, source=source, source_name=source_name[:255], actor=actor, dry_run=dry_run
    )
    resolver = Resolver(actor) if actor is not None else None
    seen: dict[tuple, int] = {}
    problems: list[Problem] = []
    try:
        for chunk in _chunks(rows, batch_size):
            known_un = _known_un_numbers(spec, chunk)
            valid: list[tuple[dict[str, Any], Resolution]] = []
            for number, raw in chunk:
                job.total += 1
                values, row_problems = clean_row(spec, raw, row=number, known_un=known_un)
                if values is not None:
                    key = _natural_key(spec, values)
                    if key in seen:
                        row_problems = [
                            Problem(number, spec.natural_key[0], _("repeats row %(n)d.") % {"n": seen[key]})
                        ]
                    else:
                        seen[key] = number
                if row_problems or values is None:
                    problems.extend(row_problems)
                    job.rejected += 1
                    continue
                resolution = (
                    resolver.resolve(values.get("enterprise_code", ""), values.get("enterprise_name", ""))
                    if resolver
                    else Resolution(ResolutionStatus.PENDING_REGISTRATION, None, "")
                )
                values.update(
                    enterprise_id=resolution.enterprise_id, resolution=resolution.status, name_key=resolution.name_key
                )
                valid.append((values, resolution))
            if dry_run:
                existing = _existing(spec, [_natural_key(spec, v) for v, _r in valid])
                for values, _r in valid:
                    obj = existing.get(_natural_key(spec, values))
                    if obj is None:
                        job.created += 1
                    elif _differs(spec, obj, values):
                        job.updated += 1
                    else:
                        job.unchanged += 1
            elif valid:
                created, updated, unchanged = _write_batch(
                    spec=spec, job=job, actor=actor, owner_id=owner.pk, rows=valid
                )
                job.created += created
                job.updated += updated
                job.unchanged += unchanged
            job.rejected_rows = _problem_rows(problems)
            job.save()
            if progress:
                progress(job.total)
    except Exception as failure:
        _job_finish(job=job, actor=actor, status=JobStatus.FAILED, problems=problems, failure=repr(failure))
        raise
    return _job_finish(job=job, actor=actor, status=JobStatus.COMPLETED, problems=problems)


@transaction.atomic
def _job_finish(*, job: ImportJob, actor: Any, status: str, problems: list[Problem], failure: str = "") -> ImportJob:
    job.status = status
    job.failure = failure
    job.rejected_rows = _problem_rows(problems)
    job.finished_at = timezone.now()
    job.save()
    audit.record(
        actor=actor,
        action="exchange.import.run",
        target=job,
        outcome="ok" if status == JobStatus.COMPLETED else "failed",
        username="" if actor else "cli",
        detail={
            "dataset": job.dataset,
            "source": job.source,
            "source_name": job.source_name,
            "dry_run": job.dry_run,
            "total": job.total,
            "created": job.created,
            "updated": job.updated,
            "unchanged": job.unchanged,
            "rejected": job.rejected,
            "failure": failure,
        },
    )
    return job


@transaction.atomic
def resolution_confirm(*, actor: Any, case_id: int, enterprise_id: int) -> ResolutionCase:
    """Confirm which enterprise a reported name means (OPEN → CONFIRMED), and link every row waiting on it."""
    if not policies.can_confirm(actor):
        raise PermissionDenied(_("Only government officers confirm enterprise matches."))
    case = authz.get_visible(actor, ResolutionCase.objects.select_for_update(), pk=case_id)
    if case.status != CaseStatus.OPEN:
        raise InvalidTransition(_("This match has already been confirmed."))
    candidate_ids = set(case.candidates.values_list("enterprise_id", flat=True))
    if enterprise_id not in candidate_ids:
        raise ValidationFailed.for_fields({"enterprise": [_("Choose one of the candidates listed.")]})
    case.status = CaseStatus.CONFIRMED
    case.enterprise_id = enterprise_id
    case.confirmed_by = actor
    case.confirmed_at = timezone.now()
    case.save()
    linked = 0
    for spec in DATASETS.values():
        linked += spec.model.objects.filter(name_key=case.name_key, enterprise__isnull=True).update(
            enterprise_id=enterprise_id, resolution=ResolutionStatus.LINKED, updated_at=timezone.now()
        )
    audit.record(
        actor=actor,
        action="exchange.resolution.confirm",
        target=case,
        after={"enterprise_id": enterprise_id},
        detail={"name": case.reported_name, "rows_linked": linked},
    )
    return case
