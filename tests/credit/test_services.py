"""Services: events re-grade at once and idempotently, objection and repair, policy versions, the zone re-grade,
and the filing measures by grade (through measures_for only)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ftzsafety.credit import services
from ftzsafety.credit.choices import ApplicationStatus, EventKind, EventStatus
from ftzsafety.credit.models import CreditApplication, CreditEvent, CreditGrade, CreditGradeChange, CreditPolicy
from ftzsafety.credit.policies import default_rules
from ftzsafety.credit.selectors import credit_explain, grade_for, measures_for
from tests.enterprises.factories import EnterpriseFactory


def ism(record, enterprise, days_valid: int = 300, **kw):
    expires = (timezone.localdate() + timedelta(days=days_valid)).isoformat()
    return record(
        enterprise,
        EventKind.CERTIFICATION,
        days_ago=30,
        detail={"certificate_type": "ISM", "expires_on": expires},
        **kw,
    )


class TestCreditEventRecord:
    def test_records_audits_and_regrades_at_once(self, enterprise, record, emergency_officer) -> None:
        event = record(enterprise, EventKind.PENALTY, actor=emergency_officer, evidence_url="/enforcement/7/")
        grade = CreditGrade.objects.get(enterprise=enterprise)
        assert (grade.grade, grade.score) == ("C", Decimal("50.00"))
        assert event.owner_id == enterprise.owner_id
        assert event.created_by == emergency_officer
        audit = AuditRecord.objects.get(action="credit.event.record")
        assert audit.target_id == str(event.pk)
        assert audit.after["kind"] == "penalty"
        assert AuditRecord.objects.filter(action="credit.grade.change").count() == 1
        assert CreditGradeChange.objects.get(enterprise=enterprise).grade == "C"

    def test_idempotent_on_source_and_kind(self, enterprise, record) -> None:
        first = record(enterprise, EventKind.HAZARD_OVERDUE, ref="H-1")
        audits = AuditRecord.objects.count()
        again = record(enterprise, EventKind.HAZARD_OVERDUE, ref="H-1")
        assert again.pk == first.pk
        assert CreditEvent.objects.count() == 1
        assert AuditRecord.objects.count() == audits
        other_kind = record(enterprise, EventKind.HAZARD_RECTIFIED_ON_TIME, ref="H-1")
        assert other_kind.pk != first.pk

    def test_same_source_for_another_enterprise_conflicts(self, enterprise, other_enterprise, record) -> None:
        record(enterprise, EventKind.PENALTY, ref="P-1")
        with pytest.raises(Conflict) as caught:
            record(other_enterprise, EventKind.PENALTY, ref="P-1")
        assert caught.value.code == "duplicate_source"

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"kind": "bribe"}, "kind"),
            ({"occurred_on": "yesterday"}, "occurred_on"),
            ({"occurred_on": timezone.localdate() + timedelta(days=2)}, "occurred_on"),
            ({"source_module": ""}, "source_module"),
            ({"source_ref": "x" * 201}, "source_ref"),
            ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
            (
                {
                    "kind": EventKind.CERTIFICATION,
                    "detail": {"certificate_type": "ISO9001", "expires_on": "2030-01-01"},
                },
                "detail.certificate_type",
            ),
            ({"kind": EventKind.CERTIFICATION, "detail": {"certificate_type": "ISM"}}, "detail.expires_on"),
        ],
    )
    def test_bad_input_names_the_field_and_writes_nothing(self, enterprise, kwargs, field) -> None:
        values = {
            "actor": None,
            "enterprise": enterprise,
            "kind": EventKind.PENALTY,
            "occurred_on": timezone.localdate(),
            "source_module": "tests",
            "source_ref": "R-1",
            **kwargs,
        }
        with pytest.raises(ValidationFailed) as caught:
            services.credit_event_record(**values)
        assert field in caught.value.fields
        assert not CreditEvent.objects.exists()
        assert not CreditGrade.objects.exists()

    def test_manual_record_needs_permission_and_manual_kind(
        self, enterprise, emergency_officer, enterprise_admin, customs_reviewer
    ) -> None:
        today = timezone.localdate()
        event = services.credit_event_record_manual(
            actor=emergency_officer,
            uscc=enterprise.uscc,
            kind="penalty",
            occurred_on=today,
            reference="应急罚〔2026〕12号",
        )
        assert event.source_module == "manual:emergency"
        for actor in (enterprise_admin, customs_reviewer):
            with pytest.raises(PermissionDenied):
                services.credit_event_record_manual(
                    actor=actor, uscc=enterprise.uscc, kind="penalty", occurred_on=today, reference="X-2"
                )
        with pytest.raises(ValidationFailed) as caught:
            services.credit_event_record_manual(
                actor=emergency_officer, uscc=enterprise.uscc, kind="false_filing", occurred_on=today, reference="X-3"
            )
        assert "kind" in caught.value.fields
        assert CreditEvent.objects.count() == 1
        assert AuditRecord.objects.filter(action="credit.event.record", outcome="denied").count() == 2


class TestMeasuresByGrade:
    """What filings apply (h-filings tests the filing side): read only through measures_for."""

    def test_ism_certificate_gives_a_and_goes_first(self, enterprise, record) -> None:
        ism(record, enterprise)
        measures = measures_for(enterprise=enterprise)
        assert measures.grade == "A"
        assert measures.filing_priority == 1
        assert measures.fast_lane is True
        assert measures.review_deadline_hours == 12
        assert measures.review_deadline_factor == Decimal("0.50")
        assert measures.extra_review_departments == ()
        assert measures.inspection_sampling_weight == Decimal("0.5")

    def test_false_filing_gives_d_with_customs_and_commerce(self, enterprise, record) -> None:
        ism(record, enterprise)
        record(enterprise, EventKind.FALSE_FILING, source_module="filings", ref="F-9")
        measures = measures_for(enterprise=enterprise)
        assert measures.grade == "D"
        assert measures.filing_priority == 4
        assert measures.fast_lane is False
        assert measures.extra_review_departments == ("customs", "commerce")
        assert measures.review_deadline_hours == 72
        assert measures.inspection_sampling_weight == Decimal("4")

    def test_b_and_c(self, enterprise, other_enterprise, record) -> None:
        record(enterprise, EventKind.ASSOCIATION_RATING)
        for n in range(3):
            record(enterprise, EventKind.INSPECTION_PASSED, ref=f"I-{n}")
        assert grade_for(enterprise=enterprise) == "B"
        assert measures_for(enterprise=enterprise).filing_priority == 2
        assert measures_for(enterprise=other_enterprise.pk).grade == "C"  # never graded: computed, not stored
        assert measures_for(enterprise=other_enterprise).review_deadline_hours == 48
        assert not CreditGrade.objects.filter(enterprise=other_enterprise).exists()

    def test_measures_follow_a_new_policy_version(self, enterprise, record, commander) -> None:
        ism(record, enterprise)
        rules = default_rules()
        rules["measures"]["A"]["review_deadline_hours"] = 6
        services.credit_policy_create(actor=commander, rules=rules, note="faster review for A firms")
        measures = measures_for(enterprise=enterprise)
        assert measures.review_deadline_hours == 6
        assert measures.policy_version == 2


class TestExplanationMatchesStoredGrade:
    def test_factors_add_up_to_the_stored_score(self, enterprise, record, emergency_officer) -> None:
        record(enterprise, EventKind.HAZARD_OVERDUE, days_ago=100)
        record(enterprise, EventKind.HAZARD_RECTIFIED_ON_TIME, days_ago=20)
        record(enterprise, EventKind.FILING_APPROVED_CLEAN, days_ago=3)
        explanation = credit_explain(actor=emergency_officer, uscc=enterprise.uscc)
        stored = CreditGrade.objects.get(enterprise=enterprise)
        assert sum(f["contribution"] for f in explanation.factors) == explanation.score == stored.score
        assert explanation.policy_version == 1
        assert len(explanation.factors) == 4


class TestObjection:
    def test_upheld_objection_annuls_and_regrades(self, enterprise, record, enterprise_admin, commander) -> None:
        event = record(enterprise, EventKind.FALSE_FILING, source_module="filings", ref="F-1")
        assert grade_for(enterprise=enterprise) == "D"
        application = services.credit_application_submit(
            actor=enterprise_admin, event_id=event.pk, kind="objection", reason="申报内容与查验结果一致，系检测误差。"
        )
        assert application.due_on == timezone.localdate() + timedelta(days=20)
        assert application.status == ApplicationStatus.SUBMITTED
        decided = services.credit_application_decide(
            actor=commander, application_id=application.pk, uphold=True, reasons="复核查验记录，申报属实，撤销该事件。"
        )
        event.refresh_from_db()
        assert decided.status == ApplicationStatus.UPHELD
        assert event.status == EventStatus.ANNULLED
        assert grade_for(enterprise=enterprise) == "C"
        assert list(application.events.values_list("kind", flat=True)) == ["submitted", "upheld"]
        actions = set(AuditRecord.objects.values_list("action", flat=True))
        assert {"credit.application.submit", "credit.application.decide", "credit.event.status"} <= actions

    def test_rejected_objection_changes_nothing_on_the_event(
        self, enterprise, record, enterprise_admin, commander
    ) -> None:
        event = record(enterprise, EventKind.PENALTY)
        application = services.credit_application_submit(
            actor=enterprise_admin, event_id=event.pk, kind="objection", reason="处罚决定送达程序有误。"
        )
        services.credit_application_decide(
            actor=commander, application_id=application.pk, uphold=False, reasons="送达程序合法，维持原事件。"
        )
        event.refresh_from_db()
        assert event.status == EventStatus.ACTIVE
        assert grade_for(enterprise=enterprise) == "C"
        with pytest.raises(InvalidTransition):
            services.credit_application_decide(
                actor=commander, application_id=application.pk, uphold=True, reasons="再次决定，不应允许。"
            )

    def test_only_own_enterprise_may_object_and_only_zone_admin_decides(
        self, enterprise, other_enterprise, record, enterprise_admin, enterprise_staff, emergency_head, commander
    ) -> None:
        from ftzsafety.core.errors import NotFound

        theirs = record(other_enterprise, EventKind.PENALTY)
        with pytest.raises(NotFound):
            services.credit_application_submit(
                actor=enterprise_admin, event_id=theirs.pk, kind="objection", reason="不是我们的事件，但试试。"
            )
        ours = record(enterprise, EventKind.PENALTY)
        with pytest.raises(PermissionDenied):
            services.credit_application_submit(
                actor=enterprise_staff, event_id=ours.pk, kind="objection", reason="员工无权提出异议。"
            )
        application = services.credit_application_submit(
            actor=enterprise_admin, event_id=ours.pk, kind="objection", reason="处罚所依据的检查记录有误。"
        )
        with pytest.raises(Conflict):
            services.credit_application_submit(
                actor=enterprise_admin, event_id=ours.pk, kind="objection", reason="重复提交同一事件的异议。"
            )
        for actor in (emergency_head, enterprise_admin):
            with pytest.raises(PermissionDenied):
                services.credit_application_decide(
                    actor=actor, application_id=application.pk, uphold=True, reasons="无权决定的人试图决定。"
                )
        application.refresh_from_db()
        assert application.status == ApplicationStatus.SUBMITTED
        assert CreditApplication.objects.count() == 1

    def test_reasons_required(self, enterprise, record, enterprise_admin) -> None:
        event = record(enterprise, EventKind.PENALTY)
        with pytest.raises(ValidationFailed) as caught:
            services.credit_application_submit(actor=enterprise_admin, event_id=event.pk, kind="objection", reason="no")
        assert "reason" in caught.value.fields
        assert not CreditApplication.objects.exists()


class TestRepair:
    def test_repair_after_rectification_lifts_d_and_halves_weight(
        self, enterprise, record, enterprise_admin, commander
    ) -> None:
        expires = (timezone.localdate() + timedelta(days=300)).isoformat()
        record(
            enterprise, EventKind.CERTIFICATION, days_ago=30, detail={"certificate_type": "AEO", "expires_on": expires}
        )
        event = record(enterprise, EventKind.FALSE_FILING, days_ago=10)
        before = CreditGrade.objects.get(enterprise=enterprise)
        assert before.grade == "D"
        assert before.overrides[0]["rule"] == "d_trigger"
        with pytest.raises(ValidationFailed) as caught:
            services.credit_application_submit(
                actor=enterprise_admin, event_id=event.pk, kind="repair", reason="已完成整改并通过验收。"
            )
        assert "evidence_url" in caught.value.fields
        application = services.credit_application_submit(
            actor=enterprise_admin,
            event_id=event.pk,
            kind="repair",
            reason="已完成整改并通过验收。",
            evidence_url="/hazards/12/acceptance/",
        )
        services.credit_application_decide(
            actor=commander, application_id=application.pk, uphold=True, reasons="整改到位，同意信用修复。"
        )
        grade = CreditGrade.objects.get(enterprise=enterprise)
        assert grade.overrides == []
        assert grade.grade == "C"
        full = (Decimal("-30") * Decimal("0.993690")).quantize(Decimal("0.01"))  # 2^(-10/1095)
        halved = (Decimal("-30") * Decimal("0.993690") * Decimal("0.5")).quantize(Decimal("0.01"))
        assert before.score == Decimal("60") + Decimal("15") + full
        assert grade.score == Decimal("60") + Decimal("15") + halved

    def test_positive_event_cannot_be_repaired(self, enterprise, record, enterprise_admin) -> None:
        event = record(enterprise, EventKind.INSPECTION_PASSED)
        with pytest.raises(ValidationFailed):
            services.credit_application_submit(
                actor=enterprise_admin,
                event_id=event.pk,
                kind="repair",
                reason="无需修复的正面事件。",
                evidence_url="/x/",
            )


class TestPolicyVersions:
    def test_new_version_never_edits_and_regrades(
        self, enterprise, record, commander, django_capture_on_commit_callbacks
    ) -> None:
        record(enterprise, EventKind.PENALTY)
        assert grade_for(enterprise=enterprise) == "C"
        rules = default_rules()
        rules["thresholds"] = {"A": "85", "B": "70", "C": "55"}
        with django_capture_on_commit_callbacks(execute=True):
            policy = services.credit_policy_create(actor=commander, rules=rules, note="提高C级门槛")
        assert policy.version == 2
        assert CreditPolicy.objects.count() == 2
        assert CreditPolicy.objects.get(version=1).rules == default_rules()
        grade = CreditGrade.objects.get(enterprise=enterprise)  # the re-grade task ran after commit
        assert grade.grade == "D"
        assert grade.policy == policy
        audit = AuditRecord.objects.get(action="credit.policy.create")
        assert audit.before["version"] == 1
        assert audit.after["rules"]["thresholds"]["C"] == "55"
        assert AuditRecord.objects.filter(action="credit.zone.regrade").exists()

    def test_invalid_rules_or_no_reason_store_nothing(self, commander) -> None:
        before = CreditPolicy.objects.count()
        rules = default_rules()
        rules["kinds"]["penalty"]["weight"] = "heavy"
        with pytest.raises(ValidationFailed) as caught:
            services.credit_policy_create(actor=commander, rules=rules, note="bad weight")
        assert "kinds.penalty.weight" in caught.value.fields
        with pytest.raises(ValidationFailed):
            services.credit_policy_create(actor=commander, rules=default_rules(), note="  ")
        assert CreditPolicy.objects.count() == before

    def test_only_zone_administration(self, emergency_head, enterprise_admin) -> None:
        before = CreditPolicy.objects.count()
        for actor in (emergency_head, enterprise_admin):
            with pytest.raises(PermissionDenied):
                services.credit_policy_create(actor=actor, rules=default_rules(), note="not mine to change")
        assert CreditPolicy.objects.count() == before
        assert AuditRecord.objects.filter(action="credit.policy.create", outcome="denied").count() == 2


class TestZoneRegrade:
    def test_set_based_regrade_matches_one_by_one(self, enterprise, record, zone_admin_org) -> None:
        firms = [enterprise, *EnterpriseFactory.create_batch(4)]
        ism(record, firms[1])
        record(firms[2], EventKind.FALSE_FILING)
        record(firms[3], EventKind.PENALTY, days_ago=200)
        record(firms[3], EventKind.HAZARD_RECTIFIED_ON_TIME, days_ago=30)
        one_by_one = {g.enterprise_id: (g.grade, g.score) for g in CreditGrade.objects.all()}
        CreditGrade.objects.all().delete()
        report = services.credit_regrade_zone(actor=None)
        assert report.enterprises == 5
        assert report.events == 4
        zone = {g.enterprise_id: (g.grade, g.score) for g in CreditGrade.objects.all()}
        assert {k: zone[k] for k in one_by_one} == one_by_one
        assert zone[firms[0].pk] == ("C", Decimal("60.00"))
        assert zone[firms[4].pk] == ("C", Decimal("60.00"))
        assert report.by_grade == {"A": 1, "D": 1, "C": 3}
        again = services.credit_regrade_zone(actor=None)
        assert again.changed == 0

    def test_decay_over_time_lifts_the_score(self, enterprise, record) -> None:
        record(enterprise, EventKind.PENALTY, days_ago=0)
        services.credit_regrade_zone(actor=None, as_of=timezone.localdate() + timedelta(days=730))
        assert CreditGrade.objects.get(enterprise=enterprise).score == Decimal("55.00")
