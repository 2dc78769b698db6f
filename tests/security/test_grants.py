"""The access-request workflow: submit → each step by the right approver → grant → expiry or revocation; the
unhappy paths change nothing. One class per service."""

import datetime as dt

import pytest
from django.utils import timezone

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core import authz
from ftzsafety.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ftzsafety.core.models import Classification
from ftzsafety.enterprises.models import Enterprise
from ftzsafety.security import selectors, services
from ftzsafety.security.choices import AccessEventKind, AccessRequestStatus, StepStatus
from ftzsafety.security.models import (
    AccessRequest,
    AccessRequestEvent,
    AccessRequestStep,
    AppendOnlyError,
    ApprovalChainRule,
    Grant,
)
from tests.accounts.factories import UserFactory, department
from tests.enterprises.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
DATASET = "enterprises.enterprise"


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def customs_head(db):
    return UserFactory(username="customs_head", organisation=department("customs"), roles=["department_head"])


@pytest.fixture
def secret_row(db):
    """A confidential record owned by customs (e.g. a firm under investigation)."""
    return EnterpriseFactory(classification=Classification.CONFIDENTIAL, owner=department("customs"))


@pytest.fixture
def chain_people(emergency_head, customs_head, security_admin):
    return {"requester_head": emergency_head, "owner_head": customs_head, "security_admin": security_admin}


def submit(actor, row=None, **overrides):
    values = {
        "dataset": DATASET,
        "object_id": row.pk if row is not None else None,
        "fields": [],
        "purpose": "联合执法检查前核实企业情况",
        "valid_until": in_days(30),
    }
    values.update(overrides)
    return services.access_request_submit(actor=actor, **values)


def state(request_id: int) -> tuple:
    """Everything a decision could change, to prove a refused action changed nothing."""
    request = AccessRequest.objects.get(pk=request_id)
    return (
        request.status,
        request.decided_at,
        tuple(AccessRequestStep.objects.filter(request_id=request_id).values_list("status", "decided_by_id", "note")),
        AccessRequestEvent.objects.filter(request_id=request_id).count(),
        Grant.objects.filter(request_id=request_id).count(),
        AuditRecord.objects.exclude(outcome="denied").count(),  # a refusal is audited as denied, nothing else
    )


def actions(request_id: int) -> list[str]:
    return list(
        AuditRecord.objects.filter(target_type="security.accessrequest", target_id=str(request_id)).values_list(
            "action", flat=True
        )
    )


def can_see(user, row) -> bool:
    return authz.visible_to(user, Enterprise.objects.filter(pk=row.pk)).exists()


class TestAccessRequestSubmit:
    def test_a_request_enters_the_default_three_step_chain(self, emergency_officer, chain_people, secret_row):
        request = submit(emergency_officer, secret_row)
        steps = list(request.steps.order_by("position"))
        assert [(s.approver_kind, s.approver_organisation, s.status) for s in steps] == [
            ("requester_head", emergency_officer.organisation, StepStatus.PENDING),
            ("owner_head", secret_row.owner, StepStatus.WAITING),
            ("security_admin", None, StepStatus.WAITING),
        ]
        assert request.status == AccessRequestStatus.PENDING
        assert request.owner == secret_row.owner
        assert list(request.events.values_list("kind", flat=True)) == [AccessEventKind.SUBMITTED]
        record = AuditRecord.objects.get(action="security.access_request.submit")
        assert record.target_id == str(request.pk)
        assert record.after["dataset"] == DATASET

    def test_a_dataset_request_names_the_owner(self, emergency_officer, chain_people):
        request = submit(emergency_officer, owner_code="dept-customs")
        assert request.object_id is None
        assert request.owner.code == "dept-customs"

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"dataset": "enterprises.nothing"}, "dataset"),
            ({"dataset": "accounts.user"}, "dataset"),  # not supervision data
            ({"object_id": 987654}, "object_id"),
            ({"object_id": None}, "owner"),  # neither a record nor an owner
            ({"object_id": None, "owner_code": "no-such-org"}, "owner"),
            ({"fields": ["uscc"]}, "fields"),  # not a declared sensitive field
            ({"purpose": "   "}, "purpose"),
            ({"valid_until": None}, "valid_until"),
            ({"valid_until": in_days(-1)}, "valid_until"),
            ({"valid_until": in_days(181)}, "valid_until"),
        ],
    )
    def test_bad_input_names_the_field_and_writes_nothing(
        self, emergency_officer, chain_people, secret_row, overrides, field
    ):
        audits = AuditRecord.objects.count()
        with pytest.raises(ValidationFailed) as caught:
            submit(emergency_officer, secret_row, **overrides)
        assert field in caught.value.fields
        assert AccessRequest.objects.count() == 0
        assert AuditRecord.objects.count() == audits

    def test_180_days_is_the_longest_period(self, emergency_officer, chain_people, secret_row):
        assert submit(emergency_officer, secret_row, valid_until=in_days(180)).valid_until == in_days(180)

    def test_own_data_needs_no_grant(self, customs_reviewer, chain_people, secret_row):
        with pytest.raises(Conflict):
            submit(customs_reviewer, secret_row)

    def test_a_second_pending_request_for_the_same_data_is_refused(self, emergency_officer, chain_people, secret_row):
        first = submit(emergency_officer, secret_row)
        with pytest.raises(Conflict) as caught:
            submit(emergency_officer, secret_row)
        assert caught.value.extra["request_id"] == first.pk

    @pytest.mark.parametrize("who", ["enterprise_admin", "association_staff", "security_admin", "system_admin"])
    def test_only_government_staff_may_ask(self, request, chain_people, secret_row, who):
        with pytest.raises(PermissionDenied):
            submit(request.getfixturevalue(who), secret_row)
        assert AccessRequest.objects.count() == 0

    def test_a_chain_nobody_can_approve_is_refused_at_once(self, emergency_officer, security_admin, secret_row):
        # customs has no department head: the owner step could never be decided.
        UserFactory(username="emergency_head2", organisation=emergency_officer.organisation, roles=["department_head"])
        with pytest.raises(Conflict) as caught:
            submit(emergency_officer, secret_row)
        assert caught.value.code == "no_approver"
        assert AccessRequest.objects.count() == 0

    def test_a_head_does_not_approve_their_own_request(self, emergency_head, customs_head, security_admin, secret_row):
        with pytest.raises(Conflict):  # the only head of emergency is the requester
            submit(emergency_head, secret_row)
        deputy = UserFactory(username="deputy", organisation=emergency_head.organisation, roles=["department_head"])
        request = submit(emergency_head, secret_row)
        assert selectors.access_request_queue(actor=emergency_head).count() == 0
        assert list(selectors.access_request_queue(actor=deputy)) == [request]


class TestAccessRequestApprove:
    def test_the_whole_chain_issues_a_live_grant(self, emergency_officer, chain_people, secret_row):
        request = submit(emergency_officer, secret_row)
        assert not can_see(emergency_officer, secret_row)
        for kind in ("requester_head", "owner_head", "security_admin"):
            approver = chain_people[kind]
            assert list(selectors.access_request_queue(actor=approver)) == [request]
            services.access_request_approve(actor=approver, request_id=request.pk, note=f"同意 {kind}")
            assert selectors.access_request_queue(actor=approver).count() == 0
        request.refresh_from_db()
        assert request.status == AccessRequestStatus.APPROVED
        grant = request.grant
        assert grant.user == emergency_officer
        assert grant.is_live
        assert (grant.object_id, grant.owner, grant.valid_until) == (secret_row.pk, secret_row.owner, in_days(30))
        assert list(request.events.values_list("kind", flat=True)) == [
            "submitted",
            "step_approved",
            "step_approved",
            "step_approved",
            "granted",
        ]
        assert actions(request.pk) == ["security.access_request.submit"] + ["security.access_request.approve"] * 3
        assert AuditRecord.objects.filter(action="security.grant.create", target_id=str(grant.pk)).exists()
        assert can_see(emergency_officer, secret_row)

    @pytest.mark.parametrize("step", [1, 2, 3])
    def test_only_the_current_steps_approver_may_decide(self, emergency_officer, chain_people, secret_row, step):
        request = submit(emergency_officer, secret_row)
        kinds = ["requester_head", "owner_head", "security_admin"]
        for kind in kinds[: step - 1]:
            services.access_request_approve(actor=chain_people[kind], request_id=request.pk)
        before = state(request.pk)
        for kind in kinds:
            if kind == kinds[step - 1]:
                continue
            for decide in (
                lambda who: services.access_request_approve(actor=who, request_id=request.pk),
                lambda who: services.access_request_refuse(actor=who, request_id=request.pk, reason="不同意"),
            ):
                with pytest.raises(PermissionDenied):
                    decide(chain_people[kind])
                assert state(request.pk) == before

    def test_the_requester_cannot_approve(self, emergency_officer, chain_people, secret_row):
        request = submit(emergency_officer, secret_row)
        before = state(request.pk)
        with pytest.raises(PermissionDenied):
            services.access_request_approve(actor=emergency_officer, request_id=request.pk)
        assert state(request.pk) == before

    @pytest.mark.parametrize("who", ["enterprise_admin", "association_staff", "system_admin", "audit_admin"])
    def test_people_with_no_part_in_it_get_not_found(self, request, emergency_officer, chain_people, secret_row, who):
        actor = request.getfixturevalue(who)
        access_request = submit(emergency_officer, secret_row)
        before = state(access_request.pk)
        with pytest.raises(NotFound):
            services.access_request_approve(actor=actor, request_id=access_request.pk)
        assert state(access_request.pk) == before

    def test_a_request_whose_period_has_ended_cannot_be_approved(self, emergency_officer, chain_people, secret_row):
        request = submit(emergency_officer, secret_row, valid_until=in_days(0))
        AccessRequest.objects.filter(pk=request.pk).update(valid_until=in_days(-1))  # a day passes
        before = state(request.pk)
        with pytest.raises(Conflict) as caught:
            services.access_request_approve(actor=chain_people["requester_head"], request_id=request.pk)
        assert caught.value.code == "request_expired"
        assert state(request.pk) == before
        assert selectors.access_request_queue(actor=chain_people["requester_head"]).count() == 0

    def test_a_configured_chain_replaces_the_default(self, emergency_officer, chain_people, secret_row):
        services.approval_chain_set(actor=chain_people["security_admin"], dataset=DATASET, approvers=["security_admin"])
        assert AuditRecord.objects.filter(action="security.approval_chain.set").exists()
        request = submit(emergency_officer, secret_row)
        assert list(request.steps.values_list("approver_kind", flat=True)) == ["security_admin"]
        services.access_request_approve(actor=chain_people["security_admin"], request_id=request.pk)
        assert Grant.objects.get(request=request).is_live

    def test_only_the_security_administrator_configures_chains(self, chain_people, system_admin):
        for actor in (chain_people["owner_head"], system_admin):
            with pytest.raises(PermissionDenied):
                services.approval_chain_set(actor=actor, dataset=None, approvers=["security_admin"])
        assert ApprovalChainRule.objects.count() == 0
        with pytest.raises(ValidationFailed):
            services.approval_chain_set(actor=chain_people["security_admin"], dataset=None, approvers=["the_boss"])


class TestAccessRequestRefuse:
    def test_refusal_ends_the_request(self, emergency_officer, chain_people, secret_row):
        request = submit(emergency_officer, secret_row)
        services.access_request_approve(actor=chain_people["requester_head"], request_id=request.pk)
        services.access_request_refuse(actor=chain_people["owner_head"], request_id=request.pk, reason="用途不明确")
        request.refresh_from_db()
        assert request.status == AccessRequestStatus.REFUSED
        assert list(request.steps.order_by("position").values_list("status", flat=True)) == [
            "approved",
            "refused",
            "cancelled",
        ]
        assert request.events.last().note == "用途不明确"
        assert actions(request.pk)[-1] == "security.access_request.refuse"
        assert not Grant.objects.exists()
        before = state(request.pk)
        with pytest.raises(InvalidTransition):
            services.access_request_approve(actor=chain_people["security_admin"], request_id=request.pk)
        assert state(request.pk) == before
        assert not can_see(emergency_officer, secret_row)

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_a_reason_is_required(self, emergency_officer, chain_people, secret_row, reason):
        request = submit(emergency_officer, secret_row)
        before = state(request.pk)
        with pytest.raises(ValidationFailed) as caught:
            services.access_request_refuse(actor=chain_people["requester_head"], request_id=request.pk, reason=reason)
        assert "reason" in caught.value.fields
        assert state(request.pk) == before


class TestAccessRequestWithdraw:
    def test_the_requester_withdraws_a_pending_request(self, emergency_officer, chain_people, secret_row):
        request = submit(emergency_officer, secret_row)
        before = state(request.pk)
        with pytest.raises(PermissionDenied):
            services.access_request_withdraw(actor=chain_people["requester_head"], request_id=request.pk)
        assert state(request.pk) == before
        services.access_request_withdraw(actor=emergency_officer, request_id=request.pk)
        request.refresh_from_db()
        assert request.status == AccessRequestStatus.WITHDRAWN
        assert selectors.access_request_queue(actor=chain_people["requester_head"]).count() == 0
        with pytest.raises(InvalidTransition):
            services.access_request_withdraw(actor=emergency_officer, request_id=request.pk)


@pytest.fixture
def granted(emergency_officer, chain_people, secret_row):
    request = submit(emergency_officer, secret_row)
    for kind in ("requester_head", "owner_head", "security_admin"):
        services.access_request_approve(actor=chain_people[kind], request_id=request.pk)
    return Grant.objects.get(request=request)


class TestGrantExpiry:
    def test_a_grant_ends_after_its_last_day(self, granted, emergency_officer, secret_row):
        Grant.objects.filter(pk=granted.pk).update(valid_until=in_days(0))
        assert can_see(emergency_officer, secret_row)  # the last day is included
        Grant.objects.filter(pk=granted.pk).update(valid_until=in_days(-1))
        assert not can_see(emergency_officer, secret_row)
        assert not Grant.objects.get(pk=granted.pk).is_live
        assert selectors.grant_list(actor=emergency_officer, live_only=True).count() == 0


class TestGrantRevoke:
    def test_revocation_stops_reads_at_once(self, granted, emergency_officer, security_admin, secret_row):
        services.grant_revoke(actor=security_admin, grant_id=granted.pk, reason="任务已结束")
        granted.refresh_from_db()
        assert granted.revoked_at is not None
        assert granted.revoked_by == security_admin
        assert granted.reason == "任务已结束"
        assert not can_see(emergency_officer, secret_row)
        assert AccessRequestEvent.objects.filter(request=granted.request, kind="revoked").exists()
        assert AuditRecord.objects.filter(action="security.grant.revoke", target_id=str(granted.pk)).exists()
        with pytest.raises(InvalidTransition):
            services.grant_revoke(actor=security_admin, grant_id=granted.pk, reason="再次")

    @pytest.mark.parametrize("who", ["customs_head", "emergency_officer"])  # owner's head; the holder gives it up
    def test_owner_head_and_holder_may_revoke(self, request, granted, who):
        services.grant_revoke(actor=request.getfixturevalue(who), grant_id=granted.pk, reason="不再需要")
        assert Grant.objects.get(pk=granted.pk).revoked_at is not None

    def test_a_reason_is_required(self, granted, security_admin):
        audits = AuditRecord.objects.count()
        with pytest.raises(ValidationFailed):
            services.grant_revoke(actor=security_admin, grant_id=granted.pk, reason=" ")
        assert Grant.objects.get(pk=granted.pk).revoked_at is None
        assert AuditRecord.objects.count() == audits

    @pytest.mark.parametrize(
        ("who", "error"),
        [("emergency_head", PermissionDenied), ("customs_reviewer", NotFound), ("audit_admin", NotFound)],
    )
    def test_others_may_not_revoke(self, request, granted, who, error):
        actor = request.getfixturevalue(who)
        audits = AuditRecord.objects.exclude(outcome="denied").count()
        with pytest.raises(error):
            services.grant_revoke(actor=actor, grant_id=granted.pk, reason="试试")
        assert Grant.objects.get(pk=granted.pk).revoked_at is None
        assert AuditRecord.objects.exclude(outcome="denied").count() == audits
        denied = AuditRecord.objects.filter(action="security.grant.revoke", outcome="denied", actor_id=actor.pk)
        assert denied.exists() == (error is PermissionDenied)


class TestConfidentialRead:
    def test_a_read_is_audited_with_the_grant(self, granted, emergency_officer, secret_row):
        grant = selectors.grant_covering(emergency_officer, secret_row)
        assert grant == granted
        record = services.record_confidential_read(emergency_officer, secret_row, grant)
        assert record.action == "security.confidential.read"
        assert record.classification == Classification.CONFIDENTIAL
        assert record.detail["grant_id"] == granted.pk
        assert record.target_id == str(secret_row.pk)


def test_the_timeline_is_append_only(emergency_officer, chain_people, secret_row):
    request = submit(emergency_officer, secret_row)
    event = request.events.get()
    event.note = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        request.events.all().delete()
    with pytest.raises(AppendOnlyError):
        request.events.update(note="x")
