"""Writes of credit grading. Every write is audited in its own transaction; an event re-grades its enterprise at
once, in the same transaction.

The interface other modules call (announced in /tmp/coord/credit.md):

    from ftzsafety.credit.services import credit_event_record
    credit_event_record(actor=user, enterprise=enterprise, kind=EventKind.FALSE_FILING, occurred_on=date,
                        source_module="filings", source_ref=str(filing.pk), evidence_url="/filings/12/")

The emitting module authorises its own action (a reviewer establishing a false filing); this service checks the
data, not the actor's right. Officers recording events by hand go through `credit_event_record_manual`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ftzsafety import audit
from ftzsafety.accounts.services import SYSTEM_USERNAME
from ftzsafety.core import authz
from ftzsafety.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ftzsafety.credit import policies
from ftzsafety.credit.choices import (
    ApplicationEventKind,
    ApplicationKind,
    ApplicationStatus,
    CertificateType,
    EventKind,
    EventStatus,
)
from ftzsafety.credit.models import (
    CreditApplication,
    CreditApplicationEvent,
    CreditEvent,
    CreditGrade,
    CreditGradeChange,
    CreditPolicy,
    PeerZone,
    RecognisedRecord,
)
from ftzsafety.credit.policies import EventRow, Scorer
from ftzsafety.enterprises.models import Enterprise

MANUAL_KINDS = frozenset(
    {
        EventKind.PENALTY,
        EventKind.SERIOUS_VIOLATION,
        EventKind.CERTIFICATION,
        EventKind.INSPECTION_PASSED,
        EventKind.INSPECTION_FAILED,
        EventKind.ASSOCIATION_RATING,
        EventKind.ASSOCIATION_RATING_POOR,
        EventKind.THIRD_PARTY_REPORT,
        EventKind.THIRD_PARTY_REPORT_ADVERSE,
    }
)
EVENT_ROW_FIELDS = (
    "id",
    "kind",
    "occurred_on",
    "certificate_type",
    "valid_until",
    "status",
    "recognised_from__zone_id",
)


def _audit(actor: Any, **kwargs: Any) -> None:
    if actor is None:
        kwargs.setdefault("username", SYSTEM_USERNAME)
    audit.record(actor=actor, **kwargs)


def is_zone_administration(actor: Any) -> bool:
    """Policies, peer zones and decisions on objections belong to the zone administration (管委会)."""
    organisation = getattr(actor, "organisation", None)
    return bool(organisation is not None and organisation.department_code == "zone_admin")


def _require_zone_admin(actor: Any, permission: str) -> None:
    authz.require(actor, permission)
    if not is_zone_administration(actor):
        raise PermissionDenied(_("Only the zone administration may do this."), extra={"permission": permission})


# --- policy ------------------------------------------------------------------------------------------------


def policy_in_force() -> CreditPolicy:
    """The highest policy version; version 1 with the default rules when none exists yet (a fresh database that
    has not run the data migration, e.g. after a test flush)."""
    policy = CreditPolicy.objects.order_by("-version").first()
    if policy is None:
        policy, _created = CreditPolicy.objects.get_or_create(
            version=1, defaults={"rules": policies.default_rules(), "note": "default policy"}
        )
    return policy


@audit.record_denials("credit.policy.create")
@transaction.atomic
def credit_policy_create(*, actor: Any, rules: Any, note: str) -> CreditPolicy:
    """A new policy version (never an edit in place); re-grades the zone after commit."""
    _require_zone_admin(actor, "credit.add_creditpolicy")
    note = (note or "").strip()
    if not note:
        raise ValidationFailed.for_fields({"note": [_("Say why the policy changes.")]})
    clean = policies.validate_rules(rules)
    previous = CreditPolicy.objects.select_for_update().order_by("-version").first()
    version = (previous.version + 1) if previous else 1
    policy = CreditPolicy.objects.create(version=version, rules=clean, note=note[:2000], created_by=actor)
    _audit(
        actor,
        action="credit.policy.create",
        target=policy,
        classification="public",
        before={"version": previous.version, "rules": previous.rules} if previous else None,
        after={"version": version, "rules": clean},
        detail={"note": note[:500]},
    )
    from ftzsafety.credit.tasks import regrade_zone

    transaction.on_commit(lambda: regrade_zone.enqueue())
    return policy


# --- events ------------------------------------------------------------------------------------------------


def _enterprise(enterprise: Any) -> Enterprise:
    if isinstance(enterprise, Enterprise):
        return enterprise
    found = Enterprise.objects.filter(pk=enterprise).first() if isinstance(enterprise, int) else None
    if found is None:
        raise ValidationFailed.for_fields({"enterprise": [_("Expected an enterprise of the registry.")]})
    return found


def _as_date(value: Any, field_name: str, errors: dict[str, list[str]]) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors.setdefault(field_name, []).append(_("Expected a date as YYYY-MM-DD."))
    return None


def _clean_event(
    *, kind: Any, occurred_on: Any, source_module: Any, source_ref: Any, evidence_url: Any, detail: Any
) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if kind not in EventKind.values:
        errors["kind"] = [_("Unknown event kind; expected one of: %(kinds)s.") % {"kinds": ", ".join(EventKind.values)}]
    day = _as_date(occurred_on, "occurred_on", errors)
    if day is not None and day > timezone.localdate():
        errors.setdefault("occurred_on", []).append(_("The date lies in the future."))
    module = (source_module or "").strip() if isinstance(source_module, str) else ""
    ref = (source_ref or "").strip() if isinstance(source_ref, str) else ""
    if not module or len(module) > 64:
        errors["source_module"] = [_("Name the module the event comes from (at most 64 characters).")]
    if not ref or len(ref) > 200:
        errors["source_ref"] = [_("Name the record the event comes from (at most 200 characters).")]
    url = (evidence_url or "").strip() if isinstance(evidence_url, str) else ""
    if len(url) > 500 or (url and not url.startswith(("https://", "http://", "/"))):
        errors["evidence_url"] = [_("Expected a link starting with https://, http:// or / (at most 500 characters).")]
    if detail is None:
        detail = {}
    if not isinstance(detail, dict):
        errors["detail"] = [_("Expected an object.")]
        detail = {}
    certificate_type, valid_until = "", None
    if kind == EventKind.CERTIFICATION:
        certificate_type = detail.get("certificate_type", "")
        if certificate_type not in CertificateType.values:
            errors["detail.certificate_type"] = [
                _("Expected a certificate type: %(types)s.") % {"types": ", ".join(CertificateType.values)}
            ]
        if not detail.get("expires_on"):
            errors["detail.expires_on"] = [_("Give the certificate's expiry date (YYYY-MM-DD).")]
        else:
            valid_until = _as_date(detail.get("expires_on"), "detail.expires_on", errors)
            if valid_until is not None and day is not None and valid_until < day:
                errors["detail.expires_on"] = [_("The certificate expires before it was issued.")]
    if errors:
        raise ValidationFailed.for_fields(errors)
    detail = {**detail}
    if valid_until is not None:
        detail["expires_on"] = valid_until.isoformat()
    return {
        "kind": kind,
        "occurred_on": day,
        "source_module": module,
        "source_ref": ref,
        "evidence_url": url,
        "detail": detail,
        "certificate_type": certificate_type,
        "valid_until": valid_until,
    }


def _event_after(event: CreditEvent) -> dict[str, Any]:
    return {
        "enterprise": event.enterprise.uscc,
        "kind": event.kind,
        "occurred_on": event.occurred_on.isoformat(),
        "source_module": event.source_module,
        "source_ref": event.source_ref,
        "evidence_url": event.evidence_url,
        "certificate_type": event.certificate_type,
        "valid_until": event.valid_until.isoformat() if event.valid_until else None,
        "status": event.status,
    }


@transaction.atomic
def credit_event_record(
    *,
    actor: Any,
    enterprise: Any,
    kind: str,
    occurred_on: date,
    source_module: str,
    source_ref: str,
    evidence_url: str = "",
    detail: dict | None = None,
    _recognised_from: PeerZone | None = None,
    _status: str = EventStatus.ACTIVE,
    _is_demo: bool = False,
    _regrade: bool = True,
) -> CreditEvent:
    """Record a credit event and re-grade its enterprise at once (same transaction).

    Idempotent on (source_module, source_ref, kind): recording the same fact again returns the stored event and
    changes nothing. The same key for another enterprise is a Conflict. A certification needs
    `detail={"certificate_type": "ISM"|"ISO45001"|"AEO", "expires_on": "YYYY-MM-DD"}`.
    """
    target = _enterprise(enterprise)
    data = _clean_event(
        kind=kind,
        occurred_on=occurred_on,
        source_module=source_module,
        source_ref=source_ref,
        evidence_url=evidence_url,
        detail=detail,
    )
    key = {"source_module": data["source_module"], "source_ref": data["source_ref"], "kind": data["kind"]}
    existing = CreditEvent.objects.filter(**key).first()
    if existing is None:
        try:
            with transaction.atomic():
                event = CreditEvent.objects.create(
                    enterprise=target,
                    owner_id=target.owner_id,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    recognised_from=_recognised_from,
                    status=_status,
                    is_demo=_is_demo,
                    **data,
                )
        except IntegrityError:
            existing = CreditEvent.objects.get(**key)
    if existing is not None:
        if existing.enterprise_id != target.pk:
            raise Conflict(
                _("This source record already produced an event for another enterprise."),
                code="duplicate_source",
                extra={"event_id": existing.pk},
            )
        return existing
    _audit(actor, action="credit.event.record", target=event, after=_event_after(event))
    if _regrade:  # only the demo seed turns this off, and re-grades the whole zone once at the end
        grade_recompute(actor=actor, enterprise=target, reason=f"event:{event.pk}")
    return event


@audit.record_denials("credit.event.record")
@transaction.atomic
def credit_event_record_manual(
    *,
    actor: Any,
    uscc: str,
    kind: str,
    occurred_on: Any,
    reference: str,
    evidence_url: str = "",
    detail: dict | None = None,
) -> CreditEvent:
    """An officer records a penalty, serious violation, certification, inspection result, association rating or
    third-party report by hand (the reference is the decision or certificate number)."""
    from ftzsafety.enterprises.selectors import enterprise_get

    authz.require(actor, "credit.add_creditevent")
    if actor.is_enterprise_user:
        raise PermissionDenied(_("You do not have permission to do this."))
    enterprise = enterprise_get(actor=actor, uscc=uscc)
    if kind not in MANUAL_KINDS:
        raise ValidationFailed.for_fields(
            {
                "kind": [
                    _("Recorded by its module, not by hand; expected one of: %(kinds)s.")
                    % {"kinds": ", ".join(sorted(MANUAL_KINDS))}
                ]
            }
        )
    department = getattr(actor.organisation, "department_code", "") or actor.organisation.code
    return credit_event_record(
        actor=actor,
        enterprise=enterprise,
        kind=kind,
        occurred_on=occurred_on,
        source_module=f"manual:{department}",
        source_ref=(reference or "").strip(),
        evidence_url=evidence_url,
        detail=detail,
    )


# --- grading -----------------------------------------------------------------------------------------------


def event_rows(enterprise_id: int) -> list[EventRow]:
    return [
        EventRow(i, k, d, c or "", v, s, z or "")
        for i, k, d, c, v, s, z in CreditEvent.objects.filter(enterprise_id=enterprise_id)
        .order_by("occurred_on", "id")
        .values_list(*EVENT_ROW_FIELDS)
    ]


def grade_recompute(*, actor: Any, enterprise: Enterprise, reason: str, as_of: date | None = None) -> CreditGrade:
    """Re-grade one enterprise now under the policy in force; append to the history when the grade changes.
    Called inside the caller's transaction (events, decisions, imports)."""
    policy = policy_in_force()
    day = as_of or timezone.localdate()
    result = Scorer(policy.rules).score(event_rows(enterprise.pk), as_of=day)
    now = timezone.now()
    grade = CreditGrade.objects.select_for_update().filter(enterprise=enterprise).first()
    previous = grade.grade if grade else ""
    before = {"grade": grade.grade, "score": str(grade.score), "policy": grade.policy_id} if grade else None
    if grade is None:
        grade = CreditGrade(enterprise=enterprise, owner_id=enterprise.owner_id)
    grade.grade, grade.score, grade.policy = result.grade, result.score, policy
    grade.as_of, grade.overrides, grade.computed_at = day, result.overrides, now
    grade.save()
    if previous != result.grade:
        CreditGradeChange.objects.create(
            enterprise=enterprise,
            owner_id=enterprise.owner_id,
            grade=result.grade,
            previous_grade=previous,
            score=result.score,
            policy_version=policy.version,
            reason=reason[:200],
            changed_at=now,
        )
    after = {"grade": result.grade, "score": str(result.score), "policy": policy.pk}
    if before != after:
        _audit(
            actor,
            action="credit.grade.change",
            target=grade,
            before=before,
            after={**after, "overrides": [o["rule"] for o in result.overrides]},
            detail={"reason": reason[:200], "uscc": enterprise.uscc},
        )
    return grade


@dataclass
class RegradeReport:
    enterprises: int = 0
    events: int = 0
    changed: int = 0  # grade changed (a history row)
    rescored: int = 0  # grade, score or overrides changed (a row written)
    policy_version: int = 0
    by_grade: dict[str, int] = field(default_factory=dict)


def _as_day(value: Any, cache: dict[str, date] = {}) -> date | None:  # noqa: B006 - a deliberate memo
    """A date column's value from a raw cursor: PostgreSQL gives dates, SQLite ISO strings (few distinct ones)."""
    if value is None or isinstance(value, date):
        return value
    day = cache.get(value)
    if day is None:
        day = cache[value] = date.fromisoformat(value)
    return day


def _json_value(value: Any) -> Any:
    import json

    return json.loads(value) if isinstance(value, str | bytes) else value


def credit_regrade_zone(
    *,
    actor: Any,
    as_of: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 5000,
) -> RegradeReport:
    """Re-grade every enterprise of the zone, set-based: one streamed read of all events ordered by enterprise
    (a raw cursor, no model instances), the scorer in memory (contributions cached by kind and age), one UPDATE
    that moves every grade to today's date and policy, upserts (INSERT … ON CONFLICT) only for grades whose grade,
    score or overrides changed, history rows for changed grades, one audit record. Used by `ftzsafety
    credit_regrade` (nightly: scores decay day by day) and after a policy change."""
    import json

    from django.db import connection

    policy = policy_in_force()
    day = as_of or timezone.localdate()
    scorer = Scorer(policy.rules)
    now = timezone.now()
    event_table, grade_table = CreditEvent._meta.db_table, CreditGrade._meta.db_table
    peer_table = PeerZone._meta.db_table
    # A system read of the registry's keys (ids and owners), not a user read: every enterprise gets a grade.
    owners = dict(Enterprise.objects.values_list("id", "owner_id"))
    total = len(owners)
    report = RegradeReport(enterprises=total, policy_version=policy.version)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT enterprise_id, grade, score, overrides FROM {grade_table}")  # noqa: S608
        current = {
            row[0]: (row[1], Decimal(str(row[2])).quantize(policies.CENT), _json_value(row[3]))
            for row in cursor.fetchall()
        }
    results: dict[int, policies.Result] = {}
    rows: list[EventRow] = []
    last_id: int | None = None
    sql = (
        f"SELECT e.enterprise_id, e.id, e.kind, e.occurred_on, e.certificate_type, e.valid_until, e.status, "  # noqa: S608
        f"p.zone_id FROM {event_table} e LEFT JOIN {peer_table} p ON p.id = e.recognised_from_id "
        f"ORDER BY e.enterprise_id, e.occurred_on, e.id"
    )
    with transaction.atomic(), connection.cursor() as cursor:  # one snapshot of the events (PostgreSQL)
        cursor.execute(sql)
        while chunk := cursor.fetchmany(20000):
            for enterprise_id, i, k, d, c, v, st, z in chunk:
                if enterprise_id != last_id:
                    if last_id is not None:
                        results[last_id] = scorer.score(rows, as_of=day)
                    rows, last_id = [], enterprise_id
                rows.append(EventRow(i, k, _as_day(d), c or "", _as_day(v), st, z or ""))
            report.events += len(chunk)
    if last_id is not None:
        results[last_id] = scorer.score(rows, as_of=day)
    empty = scorer.score([], as_of=day)

    postgres = connection.vendor == "postgresql"
    upsert = (
        f"INSERT INTO {grade_table} (enterprise_id, owner_id, classification, created_at, updated_at, grade, score, "  # noqa: S608
        f"policy_id, as_of, overrides, computed_at) VALUES (%s, %s, %s, %s, %s, %s, "
        f"{'%s::numeric' if postgres else '%s'}, %s, %s, {'%s::jsonb' if postgres else '%s'}, %s) "
        f"ON CONFLICT (enterprise_id) DO UPDATE SET grade = excluded.grade, score = excluded.score, "
        f"policy_id = excluded.policy_id, as_of = excluded.as_of, overrides = excluded.overrides, "
        f"computed_at = excluded.computed_at, updated_at = excluded.updated_at"
    )
    history = (
        f"INSERT INTO {CreditGradeChange._meta.db_table} (enterprise_id, owner_id, classification, created_at, "  # noqa: S608
        f"updated_at, grade, previous_grade, score, policy_version, reason, changed_at) VALUES (%s, %s, %s, %s, %s, "
        f"%s, %s, {'%s::numeric' if postgres else '%s'}, %s, %s, %s)"
    )
    with transaction.atomic():
        # Unchanged grades only move to today's date and the policy in force: one statement for all of them.
        CreditGrade.objects.update(policy_id=policy.pk, as_of=day, computed_at=now, updated_at=now)
    done = 0
    ids = list(owners)
    for start in range(0, total, batch_size):
        chunk_ids = ids[start : start + batch_size]
        writes, changes = [], []
        for enterprise_id in chunk_ids:
            result = results.get(enterprise_id, empty)
            report.by_grade[result.grade] = report.by_grade.get(result.grade, 0) + 1
            before = current.get(enterprise_id)
            if before == (result.grade, result.score, result.overrides):
                continue
            writes.append(
                (
                    enterprise_id,
                    owners[enterprise_id],
                    "internal",
                    now,
                    now,
                    result.grade,
                    str(result.score),
                    policy.pk,
                    day,
                    json.dumps(result.overrides),
                    now,
                )
            )
            previous = before[0] if before else ""
            if previous != result.grade:
                changes.append(
                    (
                        enterprise_id,
                        owners[enterprise_id],
                        "internal",
                        now,
                        now,
                        result.grade,
                        previous,
                        str(result.score),
                        policy.version,
                        "regrade",
                        now,
                    )
                )
        with transaction.atomic(), connection.cursor() as cursor:
            if writes:
                cursor.executemany(upsert, writes)
            if changes:
                cursor.executemany(history, changes)
        report.changed += len(changes)
        report.rescored += len(writes)
        done += len(chunk_ids)
        if progress:
            progress(done, total)
    with transaction.atomic():
        _audit(
            actor,
            action="credit.zone.regrade",
            classification="internal",
            detail={
                "enterprises": total,
                "events": report.events,
                "changed": report.changed,
                "rescored": report.rescored,
                "policy_version": policy.version,
                "as_of": day.isoformat(),
                "by_grade": report.by_grade,
            },
        )
    return report


# --- objections and repair ---------------------------------------------------------------------------------


def _application_after(application: CreditApplication) -> dict[str, Any]:
    return {
        "kind": application.kind,
        "status": application.status,
        "event": application.event_id,
        "due_on": application.due_on.isoformat(),
        "decision_reason": application.decision_reason,
    }


@audit.record_denials("credit.application.submit")
@transaction.atomic
def credit_application_submit(
    *, actor: Any, event_id: int, kind: str, reason: str, evidence_url: str = ""
) -> CreditApplication:
    """An enterprise objects to an event (异议) or applies for credit repair after rectification (信用修复).

    Decided within the policy's objection period (20 days by default; REFERENCE.md). A repair applies to a
    negative event only and needs evidence of the rectification (国办发〔2020〕49号 on credit repair)."""
    event = authz.get_visible(actor, CreditEvent.objects.select_related("enterprise"), pk=event_id)
    authz.require(actor, "credit.add_creditapplication", event)
    errors: dict[str, list[str]] = {}
    if kind not in ApplicationKind.values:
        errors["kind"] = [_("Expected objection or repair.")]
    reason = (reason or "").strip()
    if len(reason) < 10:
        errors["reason"] = [_("Give your reasons (at least 10 characters).")]
    url = (evidence_url or "").strip()
    if len(url) > 500 or (url and not url.startswith(("https://", "http://", "/"))):
        errors["evidence_url"] = [_("Expected a link starting with https://, http:// or / (at most 500 characters).")]
    if kind == ApplicationKind.REPAIR and not url:
        errors["evidence_url"] = [_("A repair needs a link to the evidence of rectification.")]
    if errors:
        raise ValidationFailed.for_fields(errors)
    event = CreditEvent.objects.select_for_update().get(pk=event.pk)
    if event.status != EventStatus.ACTIVE:
        raise InvalidTransition(_("This event is no longer active."), code="event_not_active")
    if event.recognised_from_id:
        raise Conflict(_("Object to a recognised record in the zone that issued it."), code="recognised_event")
    if kind == ApplicationKind.REPAIR:
        weight = Decimal(policy_in_force().rules["kinds"][event.kind]["weight"])
        if weight >= 0:
            raise ValidationFailed.for_fields({"kind": [_("Only a negative event can be repaired.")]})
    if CreditApplication.objects.filter(event=event, status=ApplicationStatus.SUBMITTED).exists():
        raise Conflict(_("An application about this event is already waiting for a decision."), code="pending")
    days = int(policy_in_force().rules.get("objection_days", 20))
    application = CreditApplication.objects.create(
        enterprise=event.enterprise,
        owner_id=event.owner_id,
        created_by=actor,
        event=event,
        kind=kind,
        reason=reason[:4000],
        evidence_url=url,
        due_on=timezone.localdate() + timedelta(days=days),
    )
    CreditApplicationEvent.objects.create(
        application=application, kind=ApplicationEventKind.SUBMITTED, actor=actor, note=reason[:4000]
    )
    _audit(actor, action="credit.application.submit", target=application, after=_application_after(application))
    return application


@audit.record_denials("credit.application.decide")
@transaction.atomic
def credit_application_decide(*, actor: Any, application_id: int, uphold: bool, reasons: str) -> CreditApplication:
    """The zone administration upholds or rejects an objection or repair, with reasons. Upholding an objection
    annuls the event; upholding a repair marks it repaired (it no longer triggers D and counts at the policy's
    repaired factor). Either way the enterprise is re-graded. SUBMITTED → UPHELD | REJECTED."""
    _require_zone_admin(actor, "credit.change_creditapplication")
    application = authz.get_visible(actor, CreditApplication.objects.all(), pk=application_id)
    application = (
        CreditApplication.objects.select_for_update().select_related("event", "enterprise").get(pk=application.pk)
    )
    reasons = (reasons or "").strip()
    if len(reasons) < 10:
        raise ValidationFailed.for_fields(
            {"reasons": [_("Give the reasons for the decision (at least 10 characters).")]}
        )
    if application.status != ApplicationStatus.SUBMITTED:
        raise InvalidTransition(_("This application has already been decided."), code="already_decided")
    before = _application_after(application)
    application.status = ApplicationStatus.UPHELD if uphold else ApplicationStatus.REJECTED
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.decision_reason = reasons[:4000]
    application.save()
    CreditApplicationEvent.objects.create(
        application=application,
        kind=ApplicationEventKind.UPHELD if uphold else ApplicationEventKind.REJECTED,
        actor=actor,
        note=reasons[:4000],
    )
    if uphold:
        event = CreditEvent.objects.select_for_update().get(pk=application.event_id)
        event_before = event.status
        event.status = EventStatus.ANNULLED if application.kind == ApplicationKind.OBJECTION else EventStatus.REPAIRED
        event.save(update_fields=["status", "updated_at"])
        _audit(
            actor,
            action="credit.event.status",
            target=event,
            before={"status": event_before},
            after={"status": event.status},
            detail={"application": application.pk},
        )
    _audit(
        actor,
        action="credit.application.decide",
        target=application,
        before=before,
        after=_application_after(application),
    )
    grade_recompute(actor=actor, enterprise=application.enterprise, reason=f"application:{application.pk}")
    return application


# --- peer zones --------------------------------------------------------------------------------------------


def _clean_peer(values: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    import re

    from django.conf import settings

    from ftzsafety.security import crypto

    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    if creating:
        zone_id = (values.get("zone_id") or "").strip()
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,63}", zone_id):
            errors["zone_id"] = [_("Expected lower-case letters, digits and hyphens (2–64).")]
        elif zone_id == settings.ZONE_ID:
            errors["zone_id"] = [_("This is our own zone's id.")]
        clean["zone_id"] = zone_id
    for name, limit in (("name_zh", 200), ("name_en", 200)):
        if name in values:
            text = (values.get(name) or "").strip()
            if len(text) > limit:
                errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
            clean[name] = text
    if creating and not clean.get("name_zh"):
        errors["name_zh"] = [_("The Chinese name is required.")]
    if "public_key_pem" in values or creating:
        pem = (values.get("public_key_pem") or "").strip()
        try:
            crypto.sm2_public_key_point(pem)
        except (ValueError, TypeError):
            errors["public_key_pem"] = [_("Expected an SM2 public key in PEM format (-----BEGIN PUBLIC KEY-----).")]
        clean["public_key_pem"] = pem + "\n"
    if "active" in values:
        clean["active"] = bool(values["active"])
    if errors:
        raise ValidationFailed.for_fields(errors)
    return clean


def _peer_after(peer: PeerZone) -> dict[str, Any]:
    from ftzsafety.security import crypto

    return {
        "zone_id": peer.zone_id,
        "name_zh": peer.name_zh,
        "name_en": peer.name_en,
        "active": peer.active,
        "public_key_sm3": crypto.sm3_hex(peer.public_key_pem.encode()),
    }


@audit.record_denials("credit.peer_zone.register")
@transaction.atomic
def peer_zone_register(*, actor: Any, zone_id: str, name_zh: str, public_key_pem: str, name_en: str = "") -> PeerZone:
    """Register a neighbouring zone and its SM2 public key, so its signed credit records can be verified."""
    _require_zone_admin(actor, "credit.add_peerzone")
    clean = _clean_peer(
        {"zone_id": zone_id, "name_zh": name_zh, "name_en": name_en, "public_key_pem": public_key_pem}, creating=True
    )
    if PeerZone.objects.filter(zone_id=clean["zone_id"]).exists():
        raise Conflict(_("A peer zone with this id is already registered."), code="duplicate_zone")
    peer = PeerZone.objects.create(created_by=actor, **clean)
    _audit(actor, action="credit.peer_zone.register", target=peer, classification="internal", after=_peer_after(peer))
    return peer


@audit.record_denials("credit.peer_zone.update")
@transaction.atomic
def peer_zone_update(*, actor: Any, zone_id: str, values: dict[str, Any]) -> PeerZone:
    """Change a peer zone's names, key (after its rotation) or whether it is recognised at all."""
    _require_zone_admin(actor, "credit.change_peerzone")
    peer = PeerZone.objects.select_for_update().filter(zone_id=zone_id).first()
    if peer is None:
        raise NotFound(_("Peer zone not found."))
    clean = _clean_peer(values, creating=False)
    before = _peer_after(peer)
    for name, value in clean.items():
        setattr(peer, name, value)
    peer.save()
    _audit(actor, action="credit.peer_zone.update", target=peer, before=before, after=_peer_after(peer))
    return peer


# --- mutual recognition (信用互认): signed export and verified import --------------------------------------

RECORD_FORMAT = "ftzsafety-credit-record/1"
SIGNATURE_ALGORITHM = "SM2-with-SM3"


def _canonical(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class RecordRefused(ValidationFailed):
    """A peer zone's credit record that may not be imported; `code` says why, the message says it clearly."""

    status = 422


def _refuse(code: str, message: str, **extra: Any) -> RecordRefused:
    return RecordRefused(message, code=code, extra=extra)


@transaction.atomic
def credit_record_export(*, actor: Any, uscc: str) -> str:
    """This zone's credit record of one enterprise — its grade and its own events (not those recognised from
    other zones) — as a JSON document signed with the zone's SM2 key (GB/T 32918.2-2016, SM3 digest), for a peer
    zone to verify and recognise. The document is canonical JSON: one altered byte breaks it."""
    import base64

    from django.conf import settings

    from ftzsafety.credit.selectors import credit_explain
    from ftzsafety.security import crypto, keys

    authz.require(actor, "credit.view_creditgrade")
    explanation = credit_explain(actor=actor, uscc=uscc)
    events = (
        CreditEvent.objects.filter(enterprise__uscc=explanation.uscc, recognised_from__isnull=True)
        .exclude(status=EventStatus.ANNULLED)
        .order_by("occurred_on", "id")
    )
    enterprise = Enterprise.objects.get(uscc=explanation.uscc)
    key_id, private_pem = keys.zone_signing_key()
    payload = {
        "format": RECORD_FORMAT,
        "zone_id": settings.ZONE_ID,
        "key_id": key_id,
        "exported_at": timezone.now().replace(microsecond=0).isoformat(),
        "enterprise": {"uscc": enterprise.uscc, "name_zh": enterprise.name_zh, "name_en": enterprise.name_en},
        "grade": {
            "grade": explanation.grade,
            "score": str(explanation.score),
            "policy_version": explanation.policy_version,
            "as_of": explanation.as_of.isoformat(),
            "overrides": [o["rule"] for o in explanation.overrides],
        },
        "events": [
            {
                "kind": e.kind,
                "occurred_on": e.occurred_on.isoformat(),
                "source_module": e.source_module,
                "source_ref": e.source_ref,
                "certificate_type": e.certificate_type,
                "valid_until": e.valid_until.isoformat() if e.valid_until else None,
                "status": e.status,
            }
            for e in events
        ],
    }
    payload_text = _canonical(payload)
    signature = crypto.sm2_sign(private_pem, payload_text.encode("utf-8"))
    envelope = {
        "format": RECORD_FORMAT,
        "zone_id": settings.ZONE_ID,
        "key_id": key_id,
        "algorithm": SIGNATURE_ALGORITHM,
        "payload": payload_text,
        "signature": base64.b64encode(signature).decode("ascii"),
    }
    _audit(
        actor,
        action="credit.record.export",
        target=enterprise,
        detail={
            "uscc": enterprise.uscc,
            "key_id": key_id,
            "events": len(payload["events"]),
            "grade": explanation.grade,
        },
    )
    return _canonical(envelope) + "\n"


def _verify_document(document: str | bytes) -> tuple[PeerZone, dict[str, Any], str]:
    """Parse and verify a peer zone's record; raise RecordRefused naming the reason. Writes nothing."""
    import base64
    import binascii
    import json

    from django.conf import settings

    from ftzsafety.security import crypto

    if isinstance(document, bytes):
        try:
            document = document.decode("utf-8")
        except UnicodeDecodeError:
            raise _refuse("malformed", _("The record is not UTF-8 text.")) from None
    text = document[:-1] if document.endswith("\n") else document
    try:
        envelope = json.loads(text)
    except ValueError:
        raise _refuse("malformed", _("The record is not valid JSON.")) from None
    if not isinstance(envelope, dict) or envelope.get("format") != RECORD_FORMAT:
        raise _refuse(
            "malformed", _("The record is not a credit record (format %(format)s).") % {"format": RECORD_FORMAT}
        )
    if set(envelope) != {"format", "zone_id", "key_id", "algorithm", "payload", "signature"}:
        raise _refuse("malformed", _("The record's envelope has missing or unexpected fields."))
    if _canonical(envelope) != text:
        raise _refuse(
            "not_canonical", _("The record has been altered: it is not in the canonical form it was signed in.")
        )
    zone_id = envelope["zone_id"]
    if zone_id == settings.ZONE_ID:
        raise _refuse("own_zone", _("This record was issued by our own zone."))
    peer = PeerZone.objects.filter(zone_id=zone_id).first() if isinstance(zone_id, str) else None
    if peer is None:
        raise _refuse(
            "unknown_zone",
            _("The record comes from zone “%(zone)s”, which is not a registered peer zone.") % {"zone": zone_id},
            zone_id=str(zone_id),
        )
    if not peer.active:
        raise _refuse(
            "zone_inactive", _("Peer zone “%(zone)s” is no longer recognised.") % {"zone": peer.name}, zone_id=zone_id
        )
    if envelope["algorithm"] != SIGNATURE_ALGORITHM:
        raise _refuse("bad_algorithm", _("Unsupported signature algorithm %(alg)s.") % {"alg": envelope["algorithm"]})
    try:
        signature = base64.b64decode(envelope["signature"], validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise _refuse("bad_signature", _("The signature is not valid base64.")) from None
    if base64.b64encode(signature).decode("ascii") != envelope["signature"]:
        # Base64 leaves unused bits in its last character: an altered character can decode to the same bytes.
        raise _refuse("bad_signature", _("The signature is not in canonical base64: the record was altered."))
    payload_text = envelope["payload"]
    if not isinstance(payload_text, str) or not crypto.sm2_verify(
        peer.public_key_pem, payload_text.encode("utf-8"), signature
    ):
        raise _refuse(
            "bad_signature",
            _(
                "The signature does not verify with the registered public key of %(zone)s: "
                "the record was altered or not signed by that zone."
            )
            % {"zone": peer.name},
            zone_id=zone_id,
        )
    payload = json.loads(payload_text)
    if (
        payload.get("zone_id") != zone_id
        or payload.get("key_id") != envelope["key_id"]
        or payload.get("format") != RECORD_FORMAT
    ):
        raise _refuse("malformed", _("The signed content names another zone or key than its envelope."))
    return peer, payload, document


def _audit_refusals(service: Any) -> Any:
    """A refused peer record is a security event (a forged or altered message, an unknown zone): record it as a
    failed import after the service's transaction has rolled back, so the record stays and nothing else does."""
    import functools

    @functools.wraps(service)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return service(*args, **kwargs)
        except RecordRefused as refused:
            document = kwargs.get("document") or b""
            raw = document.encode("utf-8") if isinstance(document, str) else document
            from ftzsafety.security import crypto

            audit.record(
                actor=kwargs.get("actor"),
                action="credit.record.import",
                outcome="failed",
                detail={"code": refused.code, "document_sm3": crypto.sm3_hex(raw), "bytes": len(raw)},
            )
            raise

    return wrapper


@audit.record_denials("credit.record.import")
@_audit_refusals
@transaction.atomic
def credit_record_import(*, actor: Any, document: str | bytes) -> RecognisedRecord:
    """Verify a peer zone's signed credit record with that zone's registered SM2 public key and recognise it:
    its events are stored as recognised from that zone (they count per the policy's recognised factor) and the
    enterprise is re-graded. A bad signature, an unknown or inactive zone, an enterprise not in our registry or a
    malformed record is refused with a clear reason and nothing is stored. Importing the same document twice
    returns the first import."""
    from ftzsafety.security import crypto

    _require_zone_admin(actor, "credit.add_recognisedrecord")
    peer, payload, text = _verify_document(document)
    digest = crypto.sm3_hex(text.encode("utf-8"))
    existing = RecognisedRecord.objects.filter(document_sm3=digest).first()
    if existing is not None:
        return existing
    try:
        uscc = payload["enterprise"]["uscc"]
        grade = payload["grade"]
        events = payload["events"]
        exported_at = datetime.fromisoformat(payload["exported_at"])
        peer_score = Decimal(grade["score"])
        peer_grade = grade["grade"]
        peer_version = int(grade["policy_version"])
    except (KeyError, TypeError, ValueError, ArithmeticError):
        raise _refuse("malformed", _("The signed record lacks the enterprise, grade or events.")) from None
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    if enterprise is None:
        raise _refuse(
            "unknown_enterprise",
            _("Enterprise %(uscc)s is not in this zone's registry.") % {"uscc": uscc},
            uscc=str(uscc),
        )
    if peer_grade not in ("A", "B", "C", "D") or not isinstance(events, list):
        raise _refuse("malformed", _("The signed record's grade or events are not valid."))
    record = RecognisedRecord.objects.create(
        peer_zone=peer,
        enterprise=enterprise,
        owner_id=enterprise.owner_id,
        created_by=actor,
        peer_grade=peer_grade,
        peer_score=peer_score,
        peer_policy_version=peer_version,
        exported_at=exported_at,
        document=text,
        document_sm3=digest,
    )
    stored = 0
    for item in events:
        if not isinstance(item, dict) or item.get("kind") not in EventKind.values:
            raise _refuse("malformed", _("The record holds an event of an unknown kind."))
        status = item.get("status") if item.get("status") in (EventStatus.ACTIVE, EventStatus.REPAIRED) else None
        if status is None:
            raise _refuse("malformed", _("The record holds an event with an unknown status."))
        ref = f"{peer.zone_id}:{item.get('source_module', '')}:{item.get('source_ref', '')}"
        if len(ref) > 200:
            ref = f"{peer.zone_id}:sm3:{crypto.sm3_hex(ref.encode())}"
        detail = {"peer_zone": peer.zone_id, "record": record.pk}
        if item["kind"] == EventKind.CERTIFICATION:
            detail.update(certificate_type=item.get("certificate_type", ""), expires_on=item.get("valid_until"))
        try:
            event = credit_event_record(
                actor=actor,
                enterprise=enterprise,
                kind=item["kind"],
                occurred_on=item.get("occurred_on"),
                source_module="recognised",
                source_ref=ref,
                detail=detail,
                _recognised_from=peer,
                _status=status,
            )
        except ValidationFailed as problem:
            raise _refuse(
                "malformed", _("An event in the record is not valid: %(problem)s") % {"problem": problem.message}
            ) from None
        if event.recognised_from_id == peer.pk and event.status != status:
            event.status = status
            event.save(update_fields=["status", "updated_at"])
        stored += 1
    _audit(
        actor,
        action="credit.record.import",
        target=record,
        after={"zone_id": peer.zone_id, "uscc": uscc, "peer_grade": peer_grade, "events": stored, "sm3": digest},
    )
    grade_recompute(actor=actor, enterprise=enterprise, reason=f"recognised:{peer.zone_id}")
    return record


def zone_public_key() -> dict[str, str]:
    """What a peer zone registers to verify our records: zone id, key id and the SM2 public key PEM."""
    from django.conf import settings

    from ftzsafety.security import keys

    key_id, pem = keys.zone_public_key()
    return {"zone_id": settings.ZONE_ID, "key_id": key_id, "public_key_pem": pem.decode("ascii")}
