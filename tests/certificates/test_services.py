"""certificate_issue and certificate_revoke: what they write, what they refuse, and that a refusal writes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest

from ftzsafety.audit.models import AuditRecord
from ftzsafety.certificates import payload as codec
from ftzsafety.certificates.models import Certificate, CertificateEvent, CertificateLine
from ftzsafety.certificates.selectors import certificate_for_filing, certificate_get
from ftzsafety.certificates.services import certificate_revoke
from ftzsafety.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ftzsafety.security import keys


def _counts():
    return (
        Certificate.objects.count(),
        CertificateLine.objects.count(),
        CertificateEvent.objects.count(),
        AuditRecord.objects.filter(action__startswith="certificates.").count(),
    )


class TestCertificateIssue:
    def test_issue_signs_and_records(self, issue, customs_reviewer, enterprise, window):
        certificate = issue(lines=[("UN1203", Decimal("10"), "t"), ("UN1830", 3000, "kg"), ("1203", "2.5", "t")])
        assert certificate.number == f"EC{certificate.issued_at:%Y}{certificate.pk:06d}"
        assert certificate.enterprise_uscc == enterprise.uscc
        assert certificate.key_id == keys.zone_public_key()[0]
        assert certificate.valid_from == window[0]
        assert [(line.un_number, line.quantity, line.unit) for line in certificate.lines.all()] == [
            ("UN1203", Decimal("12.500"), "t"),
            ("UN1830", Decimal("3000.000"), "kg"),
        ]
        data, text, signature = codec.parse(certificate.payload)
        assert data.number == certificate.number
        assert data.filing_ref == "DG-2026-000123"
        assert codec.verify_signature(text, signature, keys.zone_public_key()[1])
        assert len(certificate.payload) <= 500
        event = certificate.events.get()
        assert (event.kind, event.actor) == ("issued", customs_reviewer)
        record = AuditRecord.objects.get(action="certificates.certificate.issue")
        assert record.actor_id == customs_reviewer.pk
        assert record.target_id == str(certificate.pk)
        assert record.after["number"] == certificate.number
        assert record.after["lines"] == 2

    def test_demo_enterprise_gives_demo_certificate(self, issue, enterprise):
        assert issue().is_demo is False
        enterprise.is_demo = True
        enterprise.save(update_fields=["is_demo"])
        assert issue().is_demo is True

    def test_lower_case_filing_ref_is_upper_case_in_payload(self, issue):
        certificate = issue(filing_ref="dg-2026-7")
        assert certificate.filing_ref == "dg-2026-7"
        assert "/DG-2026-7/" in certificate.payload

    @pytest.mark.parametrize(
        ("overrides", "field", "fragment"),
        [
            ({"filing_ref": "DG 2026/1"}, "filing_ref", "filing reference"),
            ({"lines": [("UN99", 1, "kg")]}, "lines", "UN number"),
            ({"lines": [("UN1203", 1, "barrel")]}, "lines", "unit"),
            ({"title": "x" * 201}, "title", "200"),
        ],
    )
    def test_bad_input_writes_nothing(self, issue, overrides, field, fragment):
        before = _counts()
        with pytest.raises(ValidationFailed) as info:
            issue(**overrides)
        assert fragment in info.value.fields[field][0]
        assert _counts() == before

    def test_window_must_be_ordered(self, issue, window):
        with pytest.raises(ValidationFailed) as info:
            issue(valid_until=window[0])
        assert "valid_until" in info.value.fields
        assert Certificate.objects.count() == 0

    def test_naive_datetime_refused(self, issue, window):
        with pytest.raises(ValidationFailed) as info:
            issue(valid_from=window[0].replace(tzinfo=None))
        assert "time zone" in info.value.fields["valid_from"][0]

    def test_too_many_lines_refused_with_reason(self, issue):
        lines = [(f"UN{1001 + i}", Decimal("12345.678"), "pcs") for i in range(30)]
        before = _counts()
        with pytest.raises(ValidationFailed) as info:
            issue(lines=lines)
        message = info.value.fields["lines"][0]
        assert "500" in message
        assert "30 goods lines" in message
        assert _counts() == before

    def test_certificate_without_goods(self, issue):
        """Safety qualification filings and training applications certify no goods: the lines field is "-"."""
        certificate = issue(lines=[], title="安全资质备案")
        assert "/-/" in certificate.payload
        assert codec.parse(certificate.payload)[0].lines == ()
        assert certificate.lines.count() == 0

    @pytest.mark.parametrize("who", ["enterprise_admin", "association_staff", "analyst", "security_admin"])
    def test_only_reviewers_heads_and_command_issue(self, request, issue, who):
        before = _counts()
        with pytest.raises(PermissionDenied):
            issue(actor=request.getfixturevalue(who))
        assert _counts() == before

    @pytest.mark.parametrize("who", ["customs_reviewer", "emergency_officer", "emergency_head", "commander"])
    def test_allowed_issuers(self, request, issue, who):
        assert issue(actor=request.getfixturevalue(who)).pk


class TestCertificateRevoke:
    def test_revoke(self, certificate, emergency_head):
        revoked = certificate_revoke(actor=emergency_head, certificate=certificate, reason="申报货物与实际不符")
        assert revoked.status == "revoked"
        assert revoked.revoked_by == emergency_head
        assert revoked.revocation_reason == "申报货物与实际不符"
        certificate.refresh_from_db()
        assert certificate.status == "revoked"
        assert list(certificate.events.values_list("kind", flat=True)) == ["issued", "revoked"]
        record = AuditRecord.objects.get(action="certificates.certificate.revoke")
        assert record.actor_id == emergency_head.pk
        assert record.before["status"] == "valid"
        assert record.after["status"] == "revoked"
        assert record.after["reason"] == "申报货物与实际不符"

    def test_twice_is_invalid(self, certificate, commander):
        certificate_revoke(actor=commander, certificate=certificate, reason="第一次")
        with pytest.raises(InvalidTransition):
            certificate_revoke(actor=commander, certificate=certificate, reason="第二次")
        assert certificate.events.count() == 2

    def test_reason_required(self, certificate, commander):
        with pytest.raises(ValidationFailed) as info:
            certificate_revoke(actor=commander, certificate=certificate, reason="  ")
        assert "reason" in info.value.fields
        certificate.refresh_from_db()
        assert certificate.status == "valid"

    @pytest.mark.parametrize("who", ["customs_reviewer", "emergency_officer", "enterprise_admin", "analyst"])
    def test_denied_changes_nothing(self, request, certificate, who):
        before = _counts()
        with pytest.raises(PermissionDenied):
            certificate_revoke(actor=request.getfixturevalue(who), certificate=certificate, reason="x")
        certificate.refresh_from_db()
        assert certificate.status == "valid"
        assert _counts() == before

    @pytest.mark.parametrize("who", ["association_staff", "security_admin"])
    def test_invisible_is_not_found(self, request, certificate, who):
        with pytest.raises(NotFound):
            certificate_revoke(actor=request.getfixturevalue(who), certificate=certificate, reason="x")
        certificate.refresh_from_db()
        assert certificate.status == "valid"


class TestSelectors:
    def test_for_filing_latest_visible(self, issue, enterprise_admin, customs_reviewer, other_enterprise):
        first = issue()
        second = issue()
        assert certificate_for_filing(actor=customs_reviewer, filing_ref="DG-2026-000123") == second
        assert certificate_for_filing(actor=enterprise_admin, filing_ref="DG-2026-000123") == second
        assert certificate_for_filing(actor=customs_reviewer, filing_ref="DG-2026-999999") is None
        assert first.pk < second.pk

    @pytest.mark.parametrize(
        ("who", "sees"),
        [
            ("enterprise_admin", True),
            ("enterprise_staff", True),
            ("customs_reviewer", True),
            ("analyst", True),
            ("association_staff", False),
            ("agency_staff", False),
            ("audit_admin", False),
        ],
    )
    def test_get_visibility(self, request, certificate, who, sees):
        actor = request.getfixturevalue(who)
        if sees:
            assert certificate_get(actor=actor, certificate_id=certificate.pk) == certificate
        else:
            with pytest.raises(NotFound):
                certificate_get(actor=actor, certificate_id=certificate.pk)

    def test_other_enterprise_sees_nothing(self, certificate, other_enterprise):
        from tests.accounts.factories import UserFactory

        other = UserFactory(
            username="other_admin", organisation=other_enterprise.organisation, roles=["enterprise_admin"]
        )
        with pytest.raises(NotFound):
            certificate_get(actor=other, certificate_id=certificate.pk)
        assert certificate_for_filing(actor=other, filing_ref=certificate.filing_ref) is None

    def test_reading_is_audited(self, certificate, customs_reviewer):
        certificate_get(actor=customs_reviewer, certificate_id=certificate.pk)
        assert AuditRecord.objects.filter(action="certificates.certificate.read", actor_id=customs_reviewer.pk).exists()


def test_window_fixture_is_current(window):
    assert window[1] - window[0] == timedelta(days=30)
