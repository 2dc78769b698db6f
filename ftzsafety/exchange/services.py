"""Writes of the data exchange: ingestion of department datasets and confirmation of entity resolution.

Ingestion (issue 4, item 2) is the one deliberate exception to "one service, one transaction": the job row is
committed first, then valid rows are written in batches, each batch in its own transaction, so a failure (or a
killed process) leaves no half-written batch and running the same import again completes it — idempotent on each
dataset's natural key; the job's counts of a batch are saved in the batch's transaction. One audit record per job,
not per row (GB/T 22239-2019 §8.1.4.3 keeps the trail usable). Cost at zone scale (issue 4, item 8): rows are
linked by one indexed lookup of each batch's credit codes (resolution.Resolver.prime), never by reading the
registry, and new rows are inserted with one executemany per batch (`_insert_rows`).
"""

import gc
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ftzsafety import audit
from ftzsafety.core import authz
from ftzsafety.core.errors import Conflict, DomainError, InvalidTransition, PermissionDenied, ValidationFailed
from ftzsafety.dangerous_goods.identifiers import parse_un_number
from ftzsafety.exchange import policies
from ftzsafety.exchange.choices import CaseStatus, JobSource, JobStatus, PendingStatus, ResolutionStatus
from ftzsafety.exchange.datasets import DATASETS, DatasetSpec, dataset_spec
from ftzsafety.exchange.models import ImportJob, PendingRegistration, ResolutionCandidate, ResolutionCase
from ftzsafety.exchange.resolution import Resolution, Resolver
from ftzsafety.exchange.validation import Problem, clean_row

MAX_API_ROWS = 10_000
# Rows per transaction. On SQLite each commit of a batch is a WAL checkpoint: every page the batch dirtied in the
# table's indexes is written back to the database file, and consecutive batches dirty mostly the same index pages,
# so there a batch holds as many rows as one API call may send (one call, one transaction; the write lock is held
# about half a second for it). PostgreSQL commits cheaply and keeps smaller batches.
BATCH_SIZE = MAX_API_ROWS if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else 5000
EXISTING_PARAMETERS = 30_000  # bound parameters per existence query: under SQLite's and PostgreSQL's limits
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


def _key_of(spec: DatasetSpec) -> Callable[[dict[str, Any]], tuple]:
    """`_natural_key` of cleaned values, as one function per import (it is computed once per row)."""
    names = spec.natural_key
    if len(names) == 1:
        name = names[0]
        return lambda values: (values.get(name),)
    return lambda values: tuple(map(values.get, names))


def _existing(spec: DatasetSpec, keys: list[tuple]) -> dict[tuple, Model]:
    """Stored rows with these natural keys (a superset is filtered by IN per key column, then matched exactly), in
    queries of at most EXISTING_PARAMETERS values (a dataset's key has up to six columns)."""
    wanted = set(keys)
    found: dict[tuple, Model] = {}
    per_query = max(1, EXISTING_PARAMETERS // len(spec.natural_key))
    for start in range(0, len(keys), per_query):
        part = keys[start : start + per_query]
        lookup = {f"{name}__in": {key[i] for key in part} for i, name in enumerate(spec.natural_key)}
        qs = spec.model.objects.filter(**lookup).order_by()
        if spec.child:
            related = spec.child.model._meta.get_field(spec.child.parent_field).remote_field.related_name
            qs = qs.prefetch_related(related)
        found.update((k, obj) for obj in qs if (k := _natural_key(spec, obj)) in wanted)
    return found


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
    """Whether an import changes a stored row. The name key only counts for a row still waiting on a match (a
    linked row's key is never looked up; rows linked by code before keys were dropped for them stay unchanged)."""
    for name in (*_scalar_fields(spec), *LINK_FIELDS):
        if name == "name_key" and values["enterprise_id"] is not None and obj.enterprise_id == values["enterprise_id"]:
            continue
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


def _converter(field: Any, key: str, connection: Any) -> Callable[[Any], Any] | None:
    """How a row's value for this field is prepared for the database, chosen once per batch: None where
    `get_db_prep_save` passes the value through unchanged, else a function giving exactly what it gives.

    Shortcuts only for the types the validation produces, each what Django 5.2 does with them: text and ids, the
    value itself; a finite Decimal, itself (the driver writes it as `str`, the ORM's value the same); a date, the
    backend's `adapt_datefield_value` (SQLite: `str(date)`; PostgreSQL: the date); an aware datetime, the backend's
    `adapt_datetimefield_value` (SQLite: naive UTC text). Any other value, and every other field type, goes through
    `get_db_prep_save` as `bulk_create` would. tests/exchange/test_insert_path.py compares the rows written this
    way with rows the ORM writes, for every dataset, on both databases."""
    from datetime import date, datetime
    from decimal import Decimal

    from django.db.models import CharField, DateField, DateTimeField, DecimalField, ForeignKey, TextField

    kind = type(field)
    if kind in (CharField, TextField):
        return None  # validation gives str or None: to_python passes both through, no backend adapts text
    if isinstance(field, ForeignKey):
        if key == field.attname:
            return None  # an id
        return lambda value: value.pk if isinstance(value, Model) else value
    prep = field.get_db_prep_save
    if kind is DecimalField:
        return lambda value: value if type(value) is Decimal and value.is_finite() else prep(value, connection)
    if kind is DateField:
        adapt_date = connection.ops.adapt_datefield_value
        return lambda value: adapt_date(value) if type(value) is date else prep(value, connection)
    if kind is DateTimeField:
        adapt_datetime, aware = connection.ops.adapt_datetimefield_value, timezone.is_aware
        return lambda value: (
            adapt_datetime(value) if type(value) is datetime and aware(value) else prep(value, connection)
        )
    return lambda value: prep(value, connection)


def _insert_rows(model: type[Model], rows: list[dict[str, Any]], constants: dict[str, Any]) -> None:
    """INSERT new rows with one `executemany` per batch, without building model instances or compiling a statement
    per few dozen rows (SQLite's variable limit makes `bulk_create` split a 1,000-row batch into dozens).

    Every value is prepared for the database as `bulk_create` would prepare it (the field's `get_db_prep_save`,
    through `_converter`, chosen once per column); the batch's constants (owner, classification, import job, actor,
    demo label, timestamps) once per batch, not once per row. A field in neither gets its default. The statement
    lists first the columns taken as they are (read from a row in one `itemgetter` call), then those converted,
    then the constants. Ids are not read back (datasets with child lines use `bulk_create` for that)."""
    if not rows:
        return
    from operator import itemgetter

    from django.db import connections, router
    from django.db.models import ForeignKey
    from django.db.models.fields import AutoFieldMixin

    connection = connections[router.db_for_write(model)]
    now = timezone.now()
    first = rows[0]
    plain: list[tuple[Any, str]] = []  # (field, row key) of the row's values passed as they are
    converted: list[tuple[Any, str, Callable[[Any], Any]]] = []  # (field, row key, converter) of the others
    fixed: list[tuple[Any, Any]] = []  # (field, prepared constant) of the columns no row gives
    for f in model._meta.concrete_fields:
        if isinstance(f, AutoFieldMixin):
            continue
        key = f.attname if f.attname in first else f.name if f.name in first else None
        if key is not None:
            convert = _converter(f, key, connection)
            if convert is None:
                plain.append((f, key))
            else:
                converted.append((f, key, convert))
            continue
        if f.attname in constants or f.name in constants:
            value = constants[f.attname] if f.attname in constants else constants[f.name]
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        else:
            value = f.get_default()
        if isinstance(f, ForeignKey) and isinstance(value, Model):
            value = value.pk
        fixed.append((f, f.get_db_prep_save(value, connection)))
    tail = tuple(value for _f, value in fixed)
    keys = [key for _f, key in plain]
    read = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],)) if keys else (lambda row: ())
    if converted:
        conversions = [(key, convert) for _f, key, convert in converted]
        params = [
            (*read(row), *[None if (value := row[key]) is None else convert(value) for key, convert in conversions],
             *tail)
            for row in rows
        ]  # fmt: skip
    else:
        params = [(*read(row), *tail) for row in rows]
    fields = [f for f, _k in plain] + [f for f, _k, _c in converted] + [f for f, _v in fixed]
    quote = connection.ops.quote_name
    # Table and column names come from the model, quoted; values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _write_batch(
    *,
    spec: DatasetSpec,
    job: ImportJob,
    actor: Any,
    owner_id: int,
    rows: list[tuple[dict[str, Any], Resolution]],
    is_demo: bool = False,
    keys: list[tuple] | None = None,
) -> tuple[int, int, int]:
    """Write one batch in one transaction: (created, updated, unchanged). `keys`: the rows' natural keys, in order,
    when the caller has them already."""
    if keys is None:
        keys = [_natural_key(spec, values) for values, _r in rows]
    with transaction.atomic():
        existing = _existing(spec, keys)
        to_create: list[dict[str, Any]] = []
        to_update: list[tuple[Model, dict[str, Any]]] = []
        unchanged = 0
        recorded: set[tuple[str, str]] = set()
        written = (*_scalar_fields(spec), *LINK_FIELDS)
        for (values, resolution), key in zip(rows, keys, strict=True):
            if resolution.status != ResolutionStatus.LINKED:
                waiting_on = (resolution.name_key, values.get("enterprise_code") or "")
                if waiting_on not in recorded:
                    recorded.add(waiting_on)  # one queue entry per name and batch, not one query per row
                    _record_resolution(spec, values, resolution)
            obj = existing.get(key) if existing else None
            if obj is None:
                to_create.append(values)
                continue
            if not _differs(spec, obj, values):
                unchanged += 1
                continue
            for name in written:
                setattr(obj, name, values[name])
            obj.import_job = job
            obj.updated_at = timezone.now()
            to_update.append((obj, values))
        provenance = {
            "owner_id": owner_id, "classification": spec.classification, "created_by": actor, "import_job": job,
            "is_demo": is_demo,
        }  # fmt: skip
        created: list[tuple[Model, dict[str, Any]]] = []
        if spec.child:  # the lines need their parents' ids: bulk_create reads them back
            created = [(spec.model(**{n: v[n] for n in written}, **provenance), v) for v in to_create]
            spec.model.objects.bulk_create([obj for obj, _v in created])
        else:
            _insert_rows(spec.model, to_create, provenance)  # reads the model's fields from each row's values
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
                    for obj, values in created + to_update
                    for line in values[child.name]
                ]
            )
        return len(to_create), len(to_update), unchanged


def _resolve_batch(resolver: Resolver | None, cleaned: list[dict[str, Any]]) -> list[tuple[dict[str, Any], Resolution]]:
    """Link a batch's valid rows to enterprises: the batch's codes (and, for rows without a registered code, names)
    looked up together first, in a fixed number of indexed queries (`Resolver.prime`), then row by row."""
    pairs = [(values.get("enterprise_code") or "", values.get("enterprise_name") or "") for values in cleaned]
    if resolver is not None:
        resolver.prime(pairs)
    valid = []
    for values, (code, name) in zip(cleaned, pairs, strict=True):
        resolution = (
            resolver.resolve(code, name) if resolver else Resolution(ResolutionStatus.PENDING_REGISTRATION, None, "")
        )
        values.update(
            enterprise_id=resolution.enterprise_id, resolution=resolution.status, name_key=resolution.name_key
        )
        valid.append((values, resolution))
    return valid


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
    job: ImportJob | None = None,
    is_demo: bool = False,
) -> ImportJob:
    """Validate and store department rows `(row number, values)` for `dataset`; returns the finished job.

    Every row is validated (types, required fields, credit-code check character GB 32100-2015 §4.3, UN numbers
    against the dangerous-goods list, dates, units); rejected rows are listed with row number, field and reason
    and never stop the others. Rows are linked to enterprises (`resolution.Resolver`). A dry run validates and
    counts but writes no dataset row (the job itself is recorded). Without an actor only a dry run is possible.
    `job`: a job queued by `import_enqueue`, run now by the background task (the one code path for API, UI and
    CLI imports). `is_demo` labels the job and the rows it creates as demo data (ftzsafety.demo).
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
    if job is None:
        job = ImportJob.objects.create(
            dataset=spec.slug, owner=owner, source=source, source_name=source_name[:255], actor=actor,
            dry_run=dry_run, is_demo=is_demo,
        )  # fmt: skip
    else:
        job.status = JobStatus.RUNNING
        job.save(update_fields=["status", "updated_at"])
    resolver = Resolver(actor) if actor is not None else None
    key_of = _key_of(spec)
    seen: dict[tuple, int] = {}
    problems: list[Problem] = []
    # A batch's rows are tens of thousands of dicts and tuples held until it is written, none in a reference cycle:
    # the cycle collector would only traverse them again and again as they pile up (measured: two or three full
    # collections, 0.1-0.2 s of a 20,000-row import). It is paused for the import and resumed as it was, whatever
    # happens; cycles made meanwhile (a few per batch, by the ORM) are collected after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for chunk in _chunks(rows, batch_size):
            known_un = _known_un_numbers(spec, chunk)
            cleaned: list[dict[str, Any]] = []
            keys: list[tuple] = []  # the natural key of each cleaned row
            for number, raw in chunk:
                job.total += 1
                values, row_problems = clean_row(spec, raw, row=number, known_un=known_un)
                if values is not None:
                    key = key_of(values)
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
                cleaned.append(values)
                keys.append(key)
            valid = _resolve_batch(resolver, cleaned)
            if dry_run:
                existing = _existing(spec, keys)
                for (values, _r), key in zip(valid, keys, strict=True):
                    obj = existing.get(key)
                    if obj is None:
                        job.created += 1
                    elif _differs(spec, obj, values):
                        job.updated += 1
                    else:
                        job.unchanged += 1
            job.rejected_rows = _problem_rows(problems)
            if valid and not dry_run:
                with transaction.atomic():  # the batch and the job's counts of it commit together
                    created, updated, unchanged = _write_batch(
                        spec=spec, job=job, actor=actor, owner_id=owner.pk, rows=valid, is_demo=job.is_demo, keys=keys
                    )
                    job.created += created
                    job.updated += updated
                    job.unchanged += unchanged
                    job.save()
            else:
                job.save()
            if progress:
                progress(job.total)
    except Exception as failure:
        _job_finish(job=job, actor=actor, status=JobStatus.FAILED, problems=problems, failure=repr(failure))
        raise
    finally:
        if collecting:
            gc.enable()
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


# --- queued imports (issue 4, item 2: large imports run in the background, with progress) ---------------------

ASYNC_ROWS = 2000  # above this many rows an API or UI import is queued as a task; the page polls its progress


def upload_path(name: str) -> Path:
    """Where a queued import's file waits (var/imports), until the task has read it."""
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / Path(name).name


def import_enqueue(
    *,
    actor: Any,
    dataset: str,
    rows: list[tuple[int, Any]] | None = None,
    upload: Path | None = None,
    source: str = JobSource.API,
    source_name: str = "",
    dry_run: bool = False,
    expected: int = 0,
) -> ImportJob:
    """Queue an import as a background task (`exchange.tasks.run_import`) and return the QUEUED job at once.

    Give either `rows` (an API body: kept as JSON Lines, row numbers preserved) or `upload`, a file already
    saved under var/imports. The task runs `records_import` on the same job — the one ingestion path."""
    if (rows is None) == (upload is None):
        raise ValueError("give rows or upload")
    spec = dataset_spec(dataset)
    department = policies.writing_department(actor, spec)
    if department is None:
        raise PermissionDenied(
            _("Only officers of %(departments)s may write the dataset “%(dataset)s”.")
            % {"departments": ", ".join(spec.owner_departments), "dataset": spec.slug},
            extra={"dataset": spec.slug},
        )
    from ftzsafety.accounts.selectors import department_organisation
    from ftzsafety.exchange.tasks import run_import

    owner = department_organisation(department)
    if owner is None:
        raise Conflict(_("The department “%(code)s” is not set up.") % {"code": department})
    job = ImportJob.objects.create(
        dataset=spec.slug, owner=owner, source=source, source_name=source_name[:255], actor=actor, dry_run=dry_run,
        status=JobStatus.QUEUED, expected=len(rows) if rows is not None else expected,
    )  # fmt: skip
    if rows is not None:
        path = upload_path(f"job-{job.pk}.jsonl")
        with path.open("w", encoding="utf-8") as out:
            for _number, row in rows:
                out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    else:
        path = Path(upload)
    job.upload = str(path)
    job.save(update_fields=["upload", "updated_at"])
    audit.record(
        actor=actor,
        action="exchange.import.queue",
        target=job,
        detail={"dataset": spec.slug, "source": source, "source_name": source_name, "rows": job.expected},
    )
    run_import.enqueue(job.pk)
    return job


def import_run_queued(*, job_id: int) -> ImportJob:
    """Run a queued job (the task body): read its file as the CLI does, import, remove the file."""
    from ftzsafety.exchange.file_formats import FileRefused, read_rows

    job = ImportJob.objects.select_related("actor").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job  # already run: a task delivered twice does nothing
    path = Path(job.upload)
    spec = dataset_spec(job.dataset)
    try:
        rows = read_rows(spec, path)
    except (FileRefused, OSError) as problem:
        return _job_finish(job=job, actor=job.actor, status=JobStatus.FAILED, problems=[], failure=str(problem))
    if not job.expected:
        job.expected = len(rows)
        job.save(update_fields=["expected", "updated_at"])
    try:
        return records_import(
            actor=job.actor, dataset=job.dataset, rows=rows, source=job.source, source_name=job.source_name,
            dry_run=job.dry_run, job=job,
        )  # fmt: skip
    except DomainError as refused:  # e.g. the officer lost the role between queueing and running
        return _job_finish(job=job, actor=job.actor, status=JobStatus.FAILED, problems=[], failure=refused.message)
    finally:
        path.unlink(missing_ok=True)


# --- pending registrations (issue 4, item 3: an unknown enterprise is never a dropped row) ---------------------


@dataclass(frozen=True)
class RelinkReport:
    registrations: int
    rows: int


def _waiting_filter(pending: PendingRegistration) -> Q:
    """Dataset rows waiting on this pending registration: the same normalised name, or the same reported code."""
    condition = Q()
    if pending.name_key and not pending.name_key.startswith("uscc:"):
        condition |= Q(name_key=pending.name_key)
    if pending.reported_code:
        condition |= Q(enterprise_code=pending.reported_code)
    return condition


def _link_waiting(pending: PendingRegistration, enterprise_id: int) -> int:
    condition = _waiting_filter(pending)
    if not condition:
        return 0
    linked = 0
    now = timezone.now()
    for spec in DATASETS.values():
        linked += spec.model.objects.filter(condition, enterprise__isnull=True).update(
            enterprise_id=enterprise_id, resolution=ResolutionStatus.LINKED, updated_at=now
        )
    return linked


def _mark_linked(*, actor: Any, pending: PendingRegistration, enterprise_id: int, how: str) -> int:
    rows = _link_waiting(pending, enterprise_id)
    pending.status = PendingStatus.LINKED
    pending.enterprise_id = enterprise_id
    pending.linked_by = actor
    pending.linked_at = timezone.now()
    pending.rows_linked = rows
    pending.save()
    audit.record(
        actor=actor,
        username="system" if actor is None else "",  # linked by a registration the system made (demo seed, CLI)
        action="exchange.pending.link",
        target=pending,
        before={"status": PendingStatus.OPEN},
        after={"status": PendingStatus.LINKED, "enterprise_id": enterprise_id},
        detail={"name": pending.reported_name, "code": pending.reported_code, "rows_linked": rows, "how": how},
    )
    return rows


@transaction.atomic
def pending_registrations_link_registered(*, actor: Any, enterprise: Any) -> RelinkReport:
    """An enterprise has just been registered: link the pending registrations that are certainly it — the same
    reported credit code, or the same normalised Chinese or English name — with every row waiting on them. Called by
    `enterprises.services.enterprise_create` in its transaction (the registry keeper's action is the authority;
    looser name matches stay with the officers' relink). Only exact matches, so no wrong enterprise is linked."""
    from ftzsafety.exchange.names import normalise_name

    keys = {normalise_name(name) for name in (enterprise.name_zh, enterprise.name_en) if name}
    condition = Q(reported_code=enterprise.uscc) | Q(name_key=f"uscc:{enterprise.uscc}")
    if keys - {""}:
        condition |= Q(name_key__in=keys - {""})
    registrations = rows = 0
    for pending in PendingRegistration.objects.select_for_update().filter(condition, status=PendingStatus.OPEN):
        registrations += 1
        rows += _mark_linked(actor=actor, pending=pending, enterprise_id=enterprise.pk, how="registration")
    return RelinkReport(registrations=registrations, rows=rows)


@transaction.atomic
def pending_registration_link(*, actor: Any, pending_id: int, enterprise_id: int) -> PendingRegistration:
    """An officer says which registered enterprise a pending registration is (OPEN → LINKED); every row waiting
    on its name or code is linked, and later imports of that name link directly."""
    if not policies.can_confirm(actor):
        raise PermissionDenied(_("Only government officers link pending registrations."))
    pending = authz.get_visible(actor, PendingRegistration.objects.select_for_update(), pk=pending_id)
    if pending.status != PendingStatus.OPEN:
        raise InvalidTransition(_("This registration has already been linked."))
    from ftzsafety.enterprises.selectors import enterprise_list

    if not enterprise_list(actor=actor).filter(pk=enterprise_id).exists():
        raise ValidationFailed.for_fields({"enterprise": [_("Choose a registered enterprise.")]})
    _mark_linked(actor=actor, pending=pending, enterprise_id=enterprise_id, how="officer")
    return pending


@transaction.atomic
def pending_registrations_relink(*, actor: Any) -> RelinkReport:
    """Link every open pending registration whose enterprise has since been registered — by its reported credit
    code, or by its name under the same rule as ingestion (resolution.Resolver: exact normalised name or an
    unambiguous match above AUTO_LINK). Run after registrations (button on the matching page, API, or
    `enterprises` calling it after `enterprise_create`)."""
    if not policies.can_confirm(actor):
        raise PermissionDenied(_("Only government officers link pending registrations."))
    resolver = Resolver(actor)
    registrations = rows = 0
    waiting = list(
        authz.visible_to(actor, PendingRegistration.objects.select_for_update()).filter(status=PendingStatus.OPEN)
    )
    resolver.prime((p.reported_code, p.reported_name if not p.name_key.startswith("uscc:") else "") for p in waiting)
    for pending in waiting:
        name = pending.reported_name if not pending.name_key.startswith("uscc:") else ""
        resolution = resolver.resolve(pending.reported_code, name)
        if resolution.status != ResolutionStatus.LINKED or resolution.enterprise_id is None:
            continue
        registrations += 1
        rows += _mark_linked(actor=actor, pending=pending, enterprise_id=resolution.enterprise_id, how="relink")
    audit.record(
        actor=actor,
        action="exchange.pending.relink",
        detail={"registrations_linked": registrations, "rows_linked": rows},
    )
    return RelinkReport(registrations=registrations, rows=rows)
