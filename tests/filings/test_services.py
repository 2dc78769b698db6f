"""The filings workflow through its services: the whole loop, then each transition's unhappy paths."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from ftzsafety.filings import clock, services
from ftzsafety.filings.models import DepartmentReview, Filing, FilingEvent, PreReviewFinding
from tests.filings.conftest import AMMONIUM_NITRATE, dg_form, sds_upload

pytestmark = pytest.mark.django_db


def _blocking(filing: Filing) -> set[str]:
    return set(
        PreReviewFinding.objects.filter(filing=filing, round=filing.prereview_round, severity="blocking").values_list(
            "rule_id", flat=True
        )
    )


def _attach_sds(actor, filing, *numbers):
    for number in numbers:
        services.filing_attachment_add(
            actor=actor, filing_id=filing.pk, upload=sds_upload(number), kind="sds", un_number=number
        )


class TestTheLoop:
    def test_submit_blocked_corrected_resubmitted_reviewed_in_parallel_and_certified(
        self, enterprise_admin, reviewers, destinations
    ):
        goods = [*dg_form()["goods"][:1], AMMONIUM_NITRATE]
        filing = services.filing_create(
            actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form(eta_hours=23, goods=goods)
        )
        assert filing.status == "draft"
        assert filing.reference.startswith("DG-")
        _attach_sds(enterprise_admin, filing, "UN1203", "UN1942")

        # 1. Pre-review blocks: ETA 23 h ahead, class 3 co-loaded with class 5.1.
        filing = services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
        assert filing.status == "prereview_failed"
        assert _blocking(filing) == {"DG-ETA-24H", "DG-SEGREGATION"}
        segregation = PreReviewFinding.objects.get(filing=filing, rule_id="DG-SEGREGATION")
        assert "UN1203" in segregation.message_en
        assert "UN1942" in segregation.message_en
        assert "IMDG Code 7.2.4" in segregation.source
        assert segregation.message_zh
        assert "不得混装" in segregation.message_zh
        assert not DepartmentReview.objects.filter(filing=filing).exists()

        # 2. The enterprise corrects (ETA 48 h, acetone instead of ammonium nitrate) and submits again.
        services.filing_update(actor=enterprise_admin, filing_id=filing.pk, form=dg_form(eta_hours=48))
        _attach_sds(enterprise_admin, filing, "UN1090")
        filing = services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
        assert filing.status == "in_review", _blocking(filing)
        assert filing.prereview_round == 2
        reviews = {r.department: r for r in DepartmentReview.objects.filter(filing=filing)}
        # customs always; emergency (class 3 is a hazardous chemical); maritime (arrives by water); a yard: no fire.
        assert set(reviews) == {"customs", "emergency", "maritime"}
        assert len({r.started_at for r in reviews.values()}) == 1  # opened at once, in parallel

        # 3. The departments decide independently; the last approval approves and issues the certificate.
        services.review_decide(actor=reviewers["maritime"], review_id=reviews["maritime"].pk, decision="approve")
        services.review_decide(actor=reviewers["customs"], review_id=reviews["customs"].pk, decision="approve")
        filing.refresh_from_db()
        assert filing.status == "in_review"
        services.review_decide(
            actor=reviewers["emergency"], review_id=reviews["emergency"].pk, decision="approve", opinion="同意"
        )
        filing.refresh_from_db()
        assert filing.status == "approved"
        assert filing.decided_at is not None

        from ftzsafety.certificates.selectors import certificate_for_filing, certificate_verify

        certificate = certificate_for_filing(actor=reviewers["emergency"], filing_ref=filing.reference)
        assert certificate is not None
        assert certificate.status == "valid"
        assert {(line.un_number, line.quantity) for line in certificate.lines.all()} == {
            ("UN1203", Decimal("18000")),
            ("UN1090", Decimal("4000")),
        }
        assert certificate_verify(payload=certificate.payload).valid is True
        kinds = list(FilingEvent.objects.filter(filing=filing).values_list("kind", flat=True))
        assert kinds[-2:] == ["approved", "certificate_issued"]
        assert kinds.count("prereview_failed") == 1
        assert kinds.count("review_opened") == 3
        assert AuditRecord.objects.filter(action="filings.filing.approved", target_id=str(filing.pk)).count() == 1
        assert AuditRecord.objects.filter(action="filings.review.approve").count() == 3

    def test_a_rejection_rejects_the_filing_at_once(self, enterprise_admin, reviewers, destinations):
        filing = _in_review(enterprise_admin)
        review = DepartmentReview.objects.get(filing=filing, department="customs")
        services.review_decide(actor=reviewers["customs"], review_id=review.pk, decision="reject", opinion="单证不符")
        filing.refresh_from_db()
        assert filing.status == "rejected"
        other = DepartmentReview.objects.get(filing=filing, department="maritime")
        with pytest.raises(InvalidTransition):
            services.review_decide(actor=reviewers["maritime"], review_id=other.pk, decision="approve")


def _in_review(actor, **changes) -> Filing:
    filing = services.filing_create(actor=actor, filing_type="dg_pre_arrival", form=dg_form(**changes))
    _attach_sds(actor, filing, "UN1203", "UN1090")
    filing = services.filing_submit(actor=actor, filing_id=filing.pk)
    assert filing.status == "in_review", _blocking(filing)
    return filing


class TestPreReview:
    def test_unknown_number_wrong_class_and_packing_group_and_incomplete_sds(self, enterprise_admin, destinations):
        goods = [
            {**dg_form()["goods"][0], "hazard_class": "8", "packing_group": "III"},
            {**dg_form()["goods"][1], "un_number": "UN0000"},
        ]
        filing = services.filing_create(actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form(goods=goods))
        services.filing_attachment_add(
            actor=enterprise_admin,
            filing_id=filing.pk,
            upload=sds_upload("UN1203", skip=(11, 12)),
            kind="sds",
            un_number="UN1203",
        )
        filing = services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
        findings = {(f.rule_id, f.field) for f in PreReviewFinding.objects.filter(filing=filing)}
        assert ("DG-CLASS-MATCH", "goods[0].hazard_class") in findings
        assert ("DG-PG-MATCH", "goods[0].packing_group") in findings
        assert ("DG-UN-KNOWN", "goods[1].un_number") in findings
        sds_messages = [f.message_en for f in PreReviewFinding.objects.filter(filing=filing, rule_id="DG-SDS-16")]
        assert any("11 Toxicological information; 12 Ecological information" in m for m in sds_messages)
        assert any("UN0000" in m for m in sds_messages)

    def test_destination_classes_and_current_stock(self, enterprise_admin, destinations, emergency_officer):
        from ftzsafety.exchange.models import StorageInventory

        StorageInventory.objects.create(
            owner=emergency_officer.organisation,
            enterprise_code="91120116MA05K8XX3P",
            enterprise_name="某仓储公司",
            warehouse="保税2号库",
            un_number="UN1942",
            quantity=Decimal("12"),
            unit="t",
            as_of=timezone.now() - timedelta(days=2),
        )
        goods = [
            dg_form()["goods"][0],
            {**dg_form()["goods"][1], "un_number": "UN1830", "hazard_class": "8", "proper_shipping_name": "硫酸"},
        ]
        filing = services.filing_create(
            actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form(goods=goods, destination="bonded-wh-2")
        )
        _attach_sds(enterprise_admin, filing, "UN1203", "UN1830")
        filing = services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
        stock = PreReviewFinding.objects.filter(filing=filing, rule_id="DG-DEST-STOCK")
        assert stock.count() == 2  # UN1203 (3) and UN1830 (8) both need segregation from stored 5.1
        assert "UN1942" in stock.first().message_en
        # Class 3 and 8 are accepted by this warehouse.
        assert not PreReviewFinding.objects.filter(filing=filing, rule_id="DG-DEST-CLASS").exists()

        services.filing_update(
            actor=enterprise_admin,
            filing_id=filing.pk,
            form=dg_form(goods=[{**AMMONIUM_NITRATE}], destination="bonded-wh-2"),
        )
        _attach_sds(enterprise_admin, filing, "UN1942")
        filing = services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
        assert "DG-DEST-CLASS" in _blocking(filing)

    def test_qualification_expired_on_the_eta_blocks(self, enterprise_admin, reviewers, destinations):
        qualification = _approved_qualification(enterprise_admin, reviewers, valid_days=10)
        assert qualification.status == "approved"
        filing = services.filing_create(
            actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form(eta_hours=24 * 20)
        )
        _attach_sds(enterprise_admin, filing, "UN1203", "UN1090")
        filing = services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
        assert _blocking(filing) == {"DG-QUALIFICATION"}

    def test_without_any_qualification_on_record_reviewers_are_warned(self, enterprise_admin, destinations):
        filing = _in_review(enterprise_admin)
        warning = PreReviewFinding.objects.get(filing=filing, rule_id="DG-QUALIFICATION")
        assert warning.severity == "warning"


def _approved_qualification(actor, reviewers, *, valid_days: int) -> Filing:
    from django.core.files.uploadedfile import SimpleUploadedFile

    today = timezone.localdate()
    filing = services.filing_create(
        actor=actor,
        filing_type="safety_qualification",
        form={
            "qualification_kind": "hazchem_trading",
            "licence_number": "津滨危化经字〔2024〕000123",
            "issuing_authority": "滨海新区应急管理局",
            "valid_from": (today - timedelta(days=700)).isoformat(),
            "valid_until": (today + timedelta(days=valid_days)).isoformat(),
            "scope": "汽油、丙酮、硫酸（票据经营，不带储存）",
        },
    )
    pdf = SimpleUploadedFile("licence.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    services.filing_attachment_add(actor=actor, filing_id=filing.pk, upload=pdf, kind="licence")
    filing = services.filing_submit(actor=actor, filing_id=filing.pk)
    assert filing.status == "in_review", _blocking(filing)
    for review in DepartmentReview.objects.filter(filing=filing):
        services.review_decide(actor=reviewers[review.department], review_id=review.pk, decision="approve")
    filing.refresh_from_db()
    return filing


class TestReview:
    def test_a_reviewer_of_another_department_cannot_decide_and_nothing_changes(
        self, enterprise_admin, reviewers, destinations
    ):
        filing = _in_review(enterprise_admin)
        review = DepartmentReview.objects.get(filing=filing, department="customs")
        with pytest.raises(PermissionDenied):
            services.review_decide(actor=reviewers["maritime"], review_id=review.pk, decision="approve")
        review.refresh_from_db()
        filing.refresh_from_db()
        assert review.status == "pending"
        assert review.decided_at is None
        assert filing.status == "in_review"
        assert AuditRecord.objects.filter(action="filings.review.decide", outcome="denied").count() == 1
        assert not AuditRecord.objects.filter(action="filings.review.approve").exists()

    def test_a_request_for_information_pauses_only_that_departments_clock(
        self, enterprise_admin, reviewers, destinations
    ):
        start = timezone.now()
        with clock.frozen(start):
            filing = _in_review(enterprise_admin)
        customs = DepartmentReview.objects.get(filing=filing, department="customs")
        maritime = DepartmentReview.objects.get(filing=filing, department="maritime")
        with clock.frozen(start + timedelta(hours=2)):
            services.review_decide(
                actor=reviewers["customs"], review_id=customs.pk, decision="request_info", opinion="请补充提单"
            )
        filing.refresh_from_db()
        assert filing.status == "info_requested"
        with clock.frozen(start + timedelta(hours=7)):
            services.filing_provide_information(actor=enterprise_admin, filing_id=filing.pk, response="已上传提单")
        customs.refresh_from_db()
        maritime.refresh_from_db()
        filing.refresh_from_db()
        assert filing.status == "resubmitted"
        assert customs.status == "pending"
        assert customs.paused_seconds == 5 * 3600
        assert customs.deadline_at - maritime.deadline_at == timedelta(hours=5)
        assert maritime.paused_seconds == 0
        with clock.frozen(start + timedelta(hours=9)):
            services.review_decide(actor=reviewers["customs"], review_id=customs.pk, decision="approve")
        customs.refresh_from_db()
        assert customs.review_seconds == 4 * 3600  # 9 h elapsed, 5 h waiting for the enterprise

    def test_reject_and_request_need_an_opinion(self, enterprise_admin, reviewers, destinations):
        filing = _in_review(enterprise_admin)
        review = DepartmentReview.objects.get(filing=filing, department="customs")
        with pytest.raises(ValidationFailed) as failed:
            services.review_decide(actor=reviewers["customs"], review_id=review.pk, decision="reject", opinion="")
        assert "opinion" in failed.value.fields
        with pytest.raises(ValidationFailed):
            services.review_decide(actor=reviewers["customs"], review_id=review.pk, decision="maybe")
        review.refresh_from_db()
        assert review.status == "pending"


class TestDrafts:
    def test_form_errors_name_every_field_and_write_nothing(self, enterprise_admin, destinations):
        bad = dg_form(eta="tomorrow", destination="nowhere", emergency_contact_phone="call me")
        bad["goods"] = [{"un_number": "12", "hazard_class": "X", "quantity": "-1", "unit": "barrels"}]
        with pytest.raises(ValidationFailed) as failed:
            services.filing_create(actor=enterprise_admin, filing_type="dg_pre_arrival", form=bad)
        assert {
            "eta",
            "destination",
            "emergency_contact_phone",
            "goods[0].un_number",
            "goods[0].hazard_class",
            "goods[0].quantity",
            "goods[0].unit",
            "goods[0].packaging",
        } <= set(failed.value.fields)
        assert not Filing.objects.exists()

    def test_government_users_and_other_enterprises_cannot_file(self, customs_reviewer, destinations):
        with pytest.raises(PermissionDenied):
            services.filing_create(actor=customs_reviewer, filing_type="dg_pre_arrival", form=dg_form())
        assert not Filing.objects.exists()

    def test_an_in_review_filing_cannot_be_edited(self, enterprise_admin, destinations):
        filing = _in_review(enterprise_admin)
        with pytest.raises(InvalidTransition):
            services.filing_update(actor=enterprise_admin, filing_id=filing.pk, form=dg_form())

    def test_attachment_limits(self, enterprise_admin, destinations):
        from django.core.files.uploadedfile import SimpleUploadedFile

        filing = services.filing_create(actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form())
        png = SimpleUploadedFile("sds.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
        with pytest.raises(ValidationFailed):
            services.filing_attachment_add(
                actor=enterprise_admin, filing_id=filing.pk, upload=png, kind="sds", un_number="UN1203"
            )
        with pytest.raises(ValidationFailed) as failed:
            services.filing_attachment_add(
                actor=enterprise_admin, filing_id=filing.pk, upload=sds_upload("UN1942"), kind="sds", un_number="UN1942"
            )
        assert "un_number" in failed.value.fields
        big = SimpleUploadedFile("sds.txt", b"a" * (services.MAX_ATTACHMENT_BYTES + 1))
        with pytest.raises(ValidationFailed):
            services.filing_attachment_add(
                actor=enterprise_admin, filing_id=filing.pk, upload=big, kind="sds", un_number="UN1203"
            )
        assert not filing.attachments.exists()


class TestAfterDecision:
    def test_revoke_revokes_the_certificate(self, enterprise_admin, reviewers, destinations, emergency_head):
        filing = _in_review(enterprise_admin)
        for review in DepartmentReview.objects.filter(filing=filing):
            services.review_decide(actor=reviewers[review.department], review_id=review.pk, decision="approve")
        with pytest.raises(PermissionDenied):
            services.filing_revoke(actor=reviewers["customs"], filing_id=filing.pk, reason="x")
        services.filing_revoke(actor=emergency_head, filing_id=filing.pk, reason="货物未按申报运抵")
        filing.refresh_from_db()
        assert filing.status == "revoked"
        from ftzsafety.certificates.selectors import certificate_for_filing, certificate_verify

        certificate = certificate_for_filing(actor=emergency_head, filing_ref=filing.reference)
        assert certificate.status == "revoked"
        assert certificate_verify(payload=certificate.payload).valid is False

    def test_false_filing_lowers_the_credit_grade_to_d(
        self, enterprise_admin, reviewers, destinations, emergency_officer
    ):
        from ftzsafety.credit.selectors import measures_for

        filing = _in_review(enterprise_admin)
        review = DepartmentReview.objects.get(filing=filing, department="customs")
        services.review_decide(actor=reviewers["customs"], review_id=review.pk, decision="reject", opinion="货证不符")
        with pytest.raises(ValidationFailed):
            services.false_filing_establish(actor=emergency_officer, filing_id=filing.pk, reasons=["nonsense"])
        services.false_filing_establish(
            actor=emergency_officer, filing_id=filing.pk, reasons=["goods_mismatch"], note="查验发现实际为UN1942"
        )
        measures = measures_for(enterprise=filing.enterprise)
        assert measures.grade == "D"
        assert AuditRecord.objects.filter(action="filings.filing.establish_false").count() == 1

        # Grade D: customs and commerce review in addition; lowest priority.
        again = _in_review(enterprise_admin)
        departments = set(DepartmentReview.objects.filter(filing=again).values_list("department", flat=True))
        assert {"customs", "commerce"} <= departments
        assert again.credit_grade == "D"
        assert again.priority == measures.filing_priority


class TestFileOnce:
    def test_a_qualification_filing_uses_the_licence_already_in_the_enterprise_file(self, enterprise_admin, enterprise):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from ftzsafety.documents.models import DocumentUse
        from ftzsafety.documents.services import document_upload

        today = timezone.localdate()
        document = document_upload(
            actor=enterprise_admin,
            uscc=enterprise.uscc,
            kind="safety_licence",
            uploaded=SimpleUploadedFile("licence.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
            title="危险化学品经营许可证",
            number="津滨危化经字〔2024〕000123",
            valid_from=today - timedelta(days=100),
            valid_until=today + timedelta(days=900),
        )
        filing = services.filing_create(
            actor=enterprise_admin,
            filing_type="safety_qualification",
            form={
                "qualification_kind": "hazchem_trading",
                "licence_number": "津滨危化经字〔2024〕000123",
                "issuing_authority": "滨海新区应急管理局",
                "valid_from": (today - timedelta(days=100)).isoformat(),
                "valid_until": (today + timedelta(days=900)).isoformat(),
                "scope": "汽油、丙酮（票据经营）",
            },
        )
        attachment = services.filing_document_use(actor=enterprise_admin, filing_id=filing.pk, document_id=document.pk)
        assert attachment.kind == "licence"
        assert attachment.sm3 == document.sm3
        assert attachment.document_ref == str(document.pk)
        assert DocumentUse.objects.filter(document=document, ref=filing.reference).count() == 1
        filing = services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
        assert filing.status == "in_review"
        assert AuditRecord.objects.filter(action="filings.attachment.use_document").count() == 1

    def test_licences_recorded_in_the_exchange_count_for_the_eta(self, enterprise_admin, enterprise, destinations):
        from ftzsafety.exchange.datasets import dataset_spec

        today = timezone.localdate()
        dataset_spec("safety-licences").model.objects.create(
            owner=enterprise.organisation,
            enterprise=enterprise,
            enterprise_code=enterprise.uscc,
            licence_type="hazchem_operation",
            licence_no="津危化经〔2023〕0042",
            scope="汽油、丙酮",
            valid_from=today - timedelta(days=400),
            valid_until=today + timedelta(days=1),
        )
        filing = services.filing_create(
            actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form(eta_hours=96)
        )
        _attach_sds(enterprise_admin, filing, "UN1203", "UN1090")
        filing = services.filing_submit(actor=enterprise_admin, filing_id=filing.pk)
        assert _blocking(filing) == {"DG-QUALIFICATION"}
        assert "津" not in PreReviewFinding.objects.get(filing=filing, rule_id="DG-QUALIFICATION").message_en


class TestRulesAsData:
    def test_the_zone_administration_edits_a_rule_and_it_takes_effect(
        self, commander, customs_reviewer, enterprise_admin, destinations
    ):
        from ftzsafety.filings.models import ReviewRule

        rule = ReviewRule.objects.get(filing_type__code="dg_pre_arrival", department="maritime")
        rule.is_active = False
        with pytest.raises(PermissionDenied):
            services.review_rule_save(actor=customs_reviewer, rule=rule)
        assert ReviewRule.objects.get(pk=rule.pk).is_active is True
        services.review_rule_save(actor=commander, rule=rule)
        change = AuditRecord.objects.get(action="filings.review_rule.update")
        assert change.before["is_active"] is True
        assert change.after["is_active"] is False
        filing = _in_review(enterprise_admin)
        departments = set(DepartmentReview.objects.filter(filing=filing).values_list("department", flat=True))
        assert departments == {"customs", "emergency"}

    def test_deadline_bounds(self, commander):
        from ftzsafety.filings.models import ReviewRule

        rule = ReviewRule.objects.get(filing_type__code="dg_pre_arrival", department="customs")
        rule.deadline_hours = 0
        with pytest.raises(ValidationFailed):
            services.review_rule_save(actor=commander, rule=rule)
