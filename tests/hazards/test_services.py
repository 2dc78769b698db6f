"""The hazard loop, transition by transition, with the unhappy paths: each write asserts its event and audit row."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ftzsafety.hazards import services
from ftzsafety.hazards.models import Hazard, HazardEvent, HazardPhoto, Notification
from tests.hazards.conftest import photo

pytestmark = pytest.mark.django_db


def kinds(hazard: Hazard) -> list[str]:
    return list(HazardEvent.objects.filter(hazard=hazard).order_by("at", "id").values_list("kind", flat=True))


def audited(action: str, hazard: Hazard) -> AuditRecord:
    return AuditRecord.objects.get(action=action, target_id=str(hazard.pk))


def confirmed(hazard, officer, **kwargs):
    services.hazard_assign(actor=officer, hazard_id=hazard.pk)
    return services.hazard_verify(actor=officer, hazard_id=hazard.pk, confirmed=True, **kwargs)


class TestHazardReport:
    def test_public_report_is_routed_with_reason(self, reported, market_dept, enterprise):
        assert reported.code.startswith("YH")
        assert len(reported.code) == 12
        assert reported.department == market_dept
        assert reported.owner == market_dept
        assert reported.source == "public"
        assert reported.status == "reported"
        assert reported.enterprise == enterprise
        assert reported.latitude == enterprise.latitude
        assert kinds(reported) == ["reported", "routed"]
        routed = HazardEvent.objects.get(hazard=reported, kind="routed")
        assert routed.data["matched"] is True
        assert routed.data["department"] == "market"
        record = audited("hazards.hazard.report", reported)
        assert record.actor_id is None
        assert record.actor_username == "public"
        assert record.after["department"] == "market"

    def test_reason_text(self, reported):
        from django.utils import translation

        from ftzsafety.hazards.routing import routing_reason

        with translation.override("en"):
            text = routing_reason(reported.routing_basis, reported.department)
        assert text == "Routed to Market supervision: category Special equipment"

    def test_no_rule_goes_to_zone_administration(self, zone_admin_org):
        hazard = services.hazard_report(
            actor=None, category="other", level="general", title="路面塌陷", description="道路中间出现塌陷坑。"
        )
        assert hazard.department == zone_admin_org
        assert hazard.routing_basis["matched"] is False
        assert hazard.routing_rule is None

    def test_rule_for_a_department_not_set_up_goes_to_the_queue(self, zone_admin_org):
        hazard = services.hazard_report(
            actor=None, category="hazardous_waste", level="general", title="废油桶露天堆放", description="堆场角落。"
        )
        assert hazard.department == zone_admin_org
        assert hazard.routing_basis["matched"] is False

    def test_every_bad_field_named_and_nothing_written(self, zone_admin_org):
        with pytest.raises(ValidationFailed) as caught:
            services.hazard_report(
                actor=None,
                category="volcano",
                level="severe",
                title="",
                description="x",
                latitude="95",
                longitude="117",
                reporter_phone="call me",
                enterprise_uscc="91120116MA00000000",
            )
        assert set(caught.value.fields) == {
            "category",
            "level",
            "title",
            "latitude",
            "reporter_phone",
            "enterprise_uscc",
        }
        assert Hazard.objects.count() == 0
        assert AuditRecord.objects.filter(action="hazards.hazard.report").count() == 0

    def test_photo_exif_stripped_gps_kept(self, zone_admin_org, market_dept):
        hazard = services.hazard_report(
            actor=None,
            category="special_equipment",
            level="general",
            title="电梯门未关闭即运行",
            description="园区B栋货梯门未关即运行。",
            latitude=38.97,
            longitude=117.75,
            photos=[photo()],
        )
        stored = HazardPhoto.objects.get(hazard=hazard)
        assert stored.kind == "report"
        assert stored.content_type == "image/jpeg"
        assert stored.gps_latitude == pytest.approx(38.97, abs=1e-4)
        assert stored.gps_longitude == pytest.approx(117.75, abs=1e-4)
        assert b"Exif" not in bytes(stored.content)[:200]
        assert b"PhoneMaker" not in bytes(stored.content)
        assert len(stored.sm3) == 64

    @pytest.mark.parametrize(
        ("name", "content", "expected"),
        [
            ("report.pdf", b"%PDF-1.4\n%%EOF\n", "photos"),
            ("big.jpg", None, "photos"),
            ("x.jpg", b"not an image", "photos"),
        ],
    )
    def test_bad_photos_refused(self, zone_admin_org, settings, name, content, expected, monkeypatch):
        if content is None:
            monkeypatch.setattr(services, "MAX_PHOTO_BYTES", 100)
        with pytest.raises(ValidationFailed) as caught:
            services.hazard_report(
                actor=None,
                category="fire",
                level="general",
                title="t",
                description="d",
                photos=[photo(name, content)],
            )
        assert expected in caught.value.fields
        assert Hazard.objects.count() == 0
        assert HazardPhoto.objects.count() == 0

    def test_enterprise_reports_about_itself_only(self, enterprise_admin, enterprise, other_enterprise, market_dept):
        hazard = services.hazard_report(
            actor=enterprise_admin,
            category="special_equipment",
            level="general",
            title="起重机限位器失效",
            description="行车限位器失效。",
            enterprise_uscc=other_enterprise.uscc,
        )
        assert hazard.enterprise == enterprise
        assert hazard.source == "enterprise"

    def test_platform_admin_may_not_report(self, system_admin, zone_admin_org):
        with pytest.raises(PermissionDenied):
            services.hazard_report(actor=system_admin, category="fire", level="general", title="t", description="d")
        assert Hazard.objects.count() == 0

    def test_department_notified(self, reported, market_officer):
        # market_officer was created after the report: only people present at the time are told.
        hazard = services.hazard_report(
            actor=None, category="special_equipment", level="general", title="锅炉安全阀锈死", description="d"
        )
        assert Notification.objects.filter(recipient=market_officer, hazard=hazard, kind="routed").exists()


class TestAssign:
    def test_officer_takes_it(self, reported, market_officer):
        services.hazard_assign(actor=market_officer, hazard_id=reported.pk)
        reported.refresh_from_db()
        assert reported.status == "assigned"
        assert reported.officer == market_officer
        assert kinds(reported)[-1] == "assigned"
        assert audited("hazards.hazard.assign", reported).after == {"status": "assigned", "officer": market_officer.pk}

    def test_head_assigns_officer_who_is_notified(self, reported, market_head, market_officer):
        services.hazard_assign(actor=market_head, hazard_id=reported.pk, officer_id=market_officer.pk)
        assert Notification.objects.filter(recipient=market_officer, kind="assigned").exists()

    def test_officer_cannot_assign_colleague(self, reported, market_officer, market_officer_2):
        with pytest.raises(PermissionDenied):
            services.hazard_assign(actor=market_officer, hazard_id=reported.pk, officer_id=market_officer_2.pk)
        reported.refresh_from_db()
        assert reported.status == "reported"
        assert reported.officer is None

    def test_officer_of_another_department_cannot_take_it(self, reported, fire_officer):
        with pytest.raises(PermissionDenied):
            services.hazard_assign(actor=fire_officer, hazard_id=reported.pk)
        reported.refresh_from_db()
        assert reported.status == "reported"
        assert not AuditRecord.objects.filter(action="hazards.hazard.assign").exists()

    def test_head_cannot_assign_someone_of_another_department(self, reported, market_head, fire_officer):
        with pytest.raises(ValidationFailed) as caught:
            services.hazard_assign(actor=market_head, hazard_id=reported.pk, officer_id=fire_officer.pk)
        assert "officer" in caught.value.fields


class TestReroute:
    def test_zone_administration_sends_queue_item_on(self, zone_admin_org, commander, market_dept):
        hazard = services.hazard_report(actor=None, category="other", level="general", title="t", description="d")
        services.hazard_reroute(actor=commander, hazard_id=hazard.pk, department_code="market", reason="实为电梯隐患")
        hazard.refresh_from_db()
        assert hazard.department == market_dept
        assert hazard.owner == market_dept
        assert kinds(hazard)[-1] == "rerouted"
        record = audited("hazards.hazard.reroute", hazard)
        assert record.before["department"] == "zone_admin"
        assert record.after == {"department": "market"}

    def test_reason_required(self, zone_admin_org, commander, market_dept):
        hazard = services.hazard_report(actor=None, category="other", level="general", title="t", description="d")
        with pytest.raises(ValidationFailed) as caught:
            services.hazard_reroute(actor=commander, hazard_id=hazard.pk, department_code="market", reason=" ")
        assert "reason" in caught.value.fields

    def test_officer_may_not_reroute(self, reported, market_officer, fire_dept):
        with pytest.raises(PermissionDenied):
            services.hazard_reroute(actor=market_officer, hazard_id=reported.pk, department_code="fire", reason="x")


class TestVerify:
    def test_confirm_requires_rectification_by_level_deadline(self, reported, market_officer):
        before = timezone.now()
        hazard = confirmed(reported, market_officer)
        assert hazard.status == "rectifying"
        assert not hazard.listed_for_supervision
        assert before + timedelta(days=15) <= hazard.deadline <= timezone.now() + timedelta(days=15)
        assert kinds(hazard)[-2:] == ["confirmed", "rectification_required"]
        assert audited("hazards.hazard.confirm", hazard).after["status"] == "rectifying"

    def test_confirm_as_major_lists_for_supervision_and_records_credit(self, reported, market_officer, enterprise):
        from ftzsafety.credit.models import CreditEvent

        hazard = confirmed(reported, market_officer, level="major")
        assert hazard.level == "major"
        assert hazard.listed_for_supervision
        assert hazard.deadline >= timezone.now() + timedelta(days=89)
        assert "listed" in kinds(hazard)
        event = CreditEvent.objects.get(source_module="hazards", source_ref=hazard.code)
        assert event.kind == "major_hazard_found"
        assert event.enterprise_id == enterprise.pk

    def test_dismiss_needs_reason(self, reported, market_officer):
        services.hazard_assign(actor=market_officer, hazard_id=reported.pk)
        with pytest.raises(ValidationFailed) as caught:
            services.hazard_verify(actor=market_officer, hazard_id=reported.pk, confirmed=False, reason="")
        assert "reason" in caught.value.fields
        reported.refresh_from_db()
        assert reported.status == "assigned"

    def test_dismiss(self, reported, market_officer):
        services.hazard_assign(actor=market_officer, hazard_id=reported.pk)
        hazard = services.hazard_verify(
            actor=market_officer, hazard_id=reported.pk, confirmed=False, reason="现场核查叉车已停用并上锁"
        )
        assert hazard.status == "dismissed"
        assert hazard.closed_at is not None
        event = HazardEvent.objects.get(hazard=hazard, kind="dismissed")
        assert event.note == "现场核查叉车已停用并上锁"
        assert audited("hazards.hazard.dismiss", hazard).detail == {"reason": "现场核查叉车已停用并上锁"}
        with pytest.raises(InvalidTransition):
            services.hazard_assign(actor=market_officer, hazard_id=hazard.pk)

    def test_cannot_verify_unassigned(self, reported, market_head):
        with pytest.raises(InvalidTransition):
            services.hazard_verify(actor=market_head, hazard_id=reported.pk, confirmed=True)

    def test_other_department_cannot_verify_and_nothing_changes(self, reported, market_officer, fire_officer):
        services.hazard_assign(actor=market_officer, hazard_id=reported.pk)
        events = HazardEvent.objects.count()
        with pytest.raises(PermissionDenied):
            services.hazard_verify(actor=fire_officer, hazard_id=reported.pk, confirmed=True)
        reported.refresh_from_db()
        assert reported.status == "assigned"
        assert reported.deadline is None
        assert HazardEvent.objects.count() == events
        assert not AuditRecord.objects.filter(action="hazards.hazard.confirm").exists()

    def test_colleague_not_assigned_cannot_verify(self, reported, market_officer, market_officer_2):
        services.hazard_assign(actor=market_officer, hazard_id=reported.pk)
        with pytest.raises(PermissionDenied):
            services.hazard_verify(actor=market_officer_2, hazard_id=reported.pk, confirmed=True)

    def test_enterprise_cannot_see_other_firms_hazard(self, reported, other_enterprise):
        from ftzsafety.accounts.models import User

        outsider = User.objects.create(username="outsider", organisation=other_enterprise.organisation)
        from django.contrib.auth.models import Group

        outsider.groups.add(Group.objects.get(name="enterprise_admin"))
        with pytest.raises(NotFound):
            services.rectification_submit(actor=outsider, hazard_id=reported.pk, note="x")


class TestRectification:
    def test_submit_and_accept_closes_and_credits_on_time(self, reported, market_officer, enterprise_admin, enterprise):
        from ftzsafety.credit.models import CreditEvent

        confirmed(reported, market_officer)
        assert Notification.objects.filter(recipient=enterprise_admin, kind="confirmed").exists()
        hazard = services.rectification_submit(
            actor=enterprise_admin, hazard_id=reported.pk, note="更换制动总泵并经检验合格", photos=[photo("after.jpg")]
        )
        assert hazard.status == "submitted"
        assert hazard.submitted_at is not None
        assert HazardPhoto.objects.filter(hazard=hazard, kind="evidence").count() == 1
        assert Notification.objects.filter(recipient=market_officer, kind="rectification_submitted").exists()
        hazard = services.rectification_accept(
            actor=market_officer, hazard_id=hazard.pk, passed=True, opinion="复查合格"
        )
        assert hazard.status == "closed"
        assert hazard.closed_at is not None
        assert kinds(hazard)[-2:] == ["rectification_submitted", "accepted"]
        assert audited("hazards.hazard.rectification_accept", hazard).after == {"status": "closed"}
        assert CreditEvent.objects.filter(source_ref=hazard.code, kind="hazard_rectified_on_time").count() == 1
        assert Notification.objects.filter(recipient=enterprise_admin, kind="accepted").exists()

    def test_evidence_note_required(self, reported, market_officer, enterprise_admin):
        confirmed(reported, market_officer)
        with pytest.raises(ValidationFailed) as caught:
            services.rectification_submit(actor=enterprise_admin, hazard_id=reported.pk, note="")
        assert "note" in caught.value.fields

    def test_officer_cannot_submit_for_the_enterprise(self, reported, market_officer):
        confirmed(reported, market_officer)
        with pytest.raises(PermissionDenied):
            services.rectification_submit(actor=market_officer, hazard_id=reported.pk, note="x")

    def test_reopen_with_reason_and_new_deadline(self, reported, market_officer, enterprise_admin):
        confirmed(reported, market_officer)
        services.rectification_submit(actor=enterprise_admin, hazard_id=reported.pk, note="已修")
        with pytest.raises(ValidationFailed):
            services.rectification_accept(actor=market_officer, hazard_id=reported.pk, passed=False, opinion="")
        new_deadline = timezone.now() + timedelta(days=5)
        hazard = services.rectification_accept(
            actor=market_officer, hazard_id=reported.pk, passed=False, opinion="制动仍不合格", deadline=new_deadline
        )
        assert hazard.status == "rectifying"
        assert hazard.deadline == new_deadline
        assert kinds(hazard)[-1] == "reopened"
        assert audited("hazards.hazard.reopen", hazard).detail == {"opinion": "制动仍不合格"}
        # and round again
        services.rectification_submit(actor=enterprise_admin, hazard_id=reported.pk, note="更换总泵")
        hazard = services.rectification_accept(actor=market_officer, hazard_id=reported.pk, passed=True)
        assert hazard.status == "closed"

    def test_major_needs_department_head(self, reported, market_officer, market_head, enterprise_admin):
        confirmed(reported, market_officer, level="major")
        services.rectification_submit(actor=enterprise_admin, hazard_id=reported.pk, note="已停用并更换")
        with pytest.raises(PermissionDenied) as caught:
            services.rectification_accept(actor=market_officer, hazard_id=reported.pk, passed=True)
        assert "department head" in caught.value.message
        reported.refresh_from_db()
        assert reported.status == "submitted"
        hazard = services.rectification_accept(actor=market_head, hazard_id=reported.pk, passed=True)
        assert hazard.status == "closed"

    def test_cannot_accept_what_was_not_submitted(self, reported, market_officer):
        confirmed(reported, market_officer)
        with pytest.raises(InvalidTransition):
            services.rectification_accept(actor=market_officer, hazard_id=reported.pk, passed=True)


class TestEscalation:
    def test_overdue_goes_to_head_then_zone_and_is_recorded_once(
        self, reported, market_officer, market_head, commander, enterprise
    ):
        from ftzsafety.credit.models import CreditEvent

        confirmed(reported, market_officer)
        deadline = Hazard.objects.get(pk=reported.pk).deadline
        assert services.hazards_escalate(now=deadline - timedelta(minutes=1)).overdue == []

        report = services.hazards_escalate(now=deadline + timedelta(hours=1))
        assert report.overdue == [reported.code]
        assert report.escalated_to_zone == []
        hazard = Hazard.objects.get(pk=reported.pk)
        assert hazard.escalation == 1
        assert hazard.overdue_since == deadline
        assert kinds(hazard)[-2:] == ["overdue", "escalated_head"]
        assert Notification.objects.filter(recipient=market_head, kind="escalated_head").exists()
        assert (
            CreditEvent.objects.filter(source_ref=hazard.code, kind="hazard_overdue", enterprise=enterprise).count()
            == 1
        )

        # Running again the same day changes nothing.
        again = services.hazards_escalate(now=deadline + timedelta(hours=2))
        assert again.overdue == []
        assert again.escalated_to_zone == []
        assert HazardEvent.objects.filter(hazard=hazard, kind="overdue").count() == 1

        later = services.hazards_escalate(now=deadline + timedelta(days=3, hours=1))
        assert later.escalated_to_zone == [reported.code]
        hazard.refresh_from_db()
        assert hazard.escalation == 2
        assert Notification.objects.filter(recipient=commander, kind="escalated_zone").exists()
        assert AuditRecord.objects.filter(action="hazards.hazard.escalate", target_id=str(hazard.pk)).count() == 2

    def test_submitted_in_time_is_not_overdue(self, reported, market_officer, enterprise_admin):
        confirmed(reported, market_officer)
        services.rectification_submit(actor=enterprise_admin, hazard_id=reported.pk, note="已修")
        deadline = Hazard.objects.get(pk=reported.pk).deadline
        assert services.hazards_escalate(now=deadline + timedelta(days=10)).overdue == []

    def test_command_runs_it(self, reported, market_officer):
        from io import StringIO

        from django.core.management import call_command

        confirmed(reported, market_officer, deadline=timezone.now() + timedelta(seconds=1))
        Hazard.objects.filter(pk=reported.pk).update(deadline=timezone.now() - timedelta(hours=1))
        out = StringIO()
        call_command("hazards_escalate", stdout=out)
        assert f"department heads: 1 {reported.code}" in out.getvalue()


class TestRectificationPeriod:
    def test_commander_sets_period_used_by_next_confirmation(self, commander, reported, market_officer):
        from ftzsafety.hazards.models import RectificationPeriod

        services.rectification_period_set(actor=commander, level="general", days=5, zone_escalation_days=2)
        assert RectificationPeriod.objects.get(level="general").days == 5
        record = AuditRecord.objects.get(action="hazards.rectification_period.set")
        assert record.before == {"days": 15, "zone_escalation_days": 3}
        hazard = confirmed(reported, market_officer)
        assert hazard.deadline <= timezone.now() + timedelta(days=5)

    def test_officer_may_not_and_bad_values_refused(self, commander, market_officer):
        with pytest.raises(PermissionDenied):
            services.rectification_period_set(actor=market_officer, level="general", days=5, zone_escalation_days=2)
        with pytest.raises(ValidationFailed) as caught:
            services.rectification_period_set(actor=commander, level="general", days=0, zone_escalation_days=-1)
        assert set(caught.value.fields) == {"days", "zone_escalation_days"}
