"""`ftzsafety createtoken`, and the account services the CLI and the demo seed use (organisation_create,
user_create): their rules, the audit row of each outcome, and nothing written on a refusal."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation

from ftzsafety.accounts.models import ApiToken, Organisation, User
from ftzsafety.accounts.services import organisation_create, user_create
from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import PermissionDenied, ValidationFailed
from tests.accounts.factories import OrganisationFactory, department

GOOD_PASSWORD = "Harbour#Watch42"


class TestCreateToken:
    def test_prints_only_a_token_that_authenticates_the_api(self, emergency_officer, enterprise, capsys) -> None:
        call_command("createtoken", "--user", "emergency_officer")
        out, err = capsys.readouterr()
        token = out.strip()
        assert out == token + "\n"  # nothing else on stdout: `TOKEN=$(ftzsafety createtoken …)` works
        assert token.startswith("ftz_")
        assert err.startswith("expires ")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
        reply = client.get("/api/v1/enterprises", {"q": "滨海化工"})
        assert reply.status_code == 200
        assert reply["Content-Type"].startswith("application/json")
        assert [item["uscc"] for item in reply.json()["items"]] == [enterprise.uscc]
        assert Client().get("/api/v1/enterprises", {"q": "滨海化工"}).status_code == 401

    def test_expiry_and_label(self, emergency_officer, capsys) -> None:
        call_command("createtoken", "--user", "emergency_officer", "--expires", "7", "--name", "customs bridge")
        capsys.readouterr()
        token = ApiToken.objects.get(user=emergency_officer)
        assert token.name == "customs bridge"
        assert abs(token.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
        row = AuditRecord.objects.get(action="accounts.api_token.create")
        assert row.detail["via"] == "cli"

    def test_unknown_user_is_a_clear_error_with_exit_status_1(self, db: None, capsys) -> None:
        with pytest.raises(CommandError, match="No user named “nobody”") as failed:
            call_command("createtoken", "--user", "nobody")
        assert failed.value.returncode == 1
        assert capsys.readouterr().out == ""
        assert not ApiToken.objects.exists()

    def test_invalid_lifetime_is_refused(self, emergency_officer, capsys) -> None:
        with translation.override("en"), pytest.raises(CommandError, match="between 1 and 366 days"):
            call_command("createtoken", "--user", "emergency_officer", "--expires", "1000")
        assert not ApiToken.objects.exists()


def _refusals(action: str) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(action=action).exclude(outcome="ok"))


class TestUserCreate:
    def test_creates_an_account_with_its_role_and_an_audit_row(self, db: None) -> None:
        org = department("emergency")
        user = user_create(
            actor=None,
            username="li_lei",
            organisation=org,
            roles=["officer"],
            password=GOOD_PASSWORD,
            full_name="李雷",
        )
        user.refresh_from_db()
        assert user.role_names == {"officer"}
        assert user.organisation == org
        assert user.check_password(GOOD_PASSWORD)
        assert user.password_changed_at is not None
        row = AuditRecord.objects.get(action="accounts.user.create")
        assert row.outcome == "ok"
        assert row.actor_username == "system"
        assert row.target_id == str(user.pk)
        assert row.after == {"username": "li_lei", "organisation": org.code, "roles": ["officer"], "is_demo": False}
        assert GOOD_PASSWORD not in str(row.after) + str(row.detail)

    def test_system_administrator_may_create_accounts(self, system_admin) -> None:
        user = user_create(
            actor=system_admin,
            username="wang_fang",
            organisation=department("customs"),
            roles=["reviewer"],
            password=GOOD_PASSWORD,
        )
        row = AuditRecord.objects.get(action="accounts.user.create", target_id=str(user.pk))
        assert row.actor_username == "system_admin"

    def test_three_administrators_are_three_people(self, platform_org) -> None:
        """三员分立 (GB/T 22239-2019 §8.1.4.2): no account is both system and audit administrator."""
        with translation.override("en"), pytest.raises(ValidationFailed) as refused:
            user_create(
                actor=None,
                username="superuser",
                organisation=platform_org,
                roles=["system_admin", "audit_admin"],
                password=GOOD_PASSWORD,
            )
        assert "三员分立" in refused.value.fields["roles"][0]
        assert not User.objects.filter(username="superuser").exists()
        (row,) = _refusals("accounts.user.create")
        assert row.outcome == "failed"
        assert row.actor_username == "system"
        assert row.detail["fields"] == ["roles"]
        assert row.detail["roles"] == ["audit_admin", "system_admin"]

    def test_role_must_fit_the_organisation_kind(self, db: None) -> None:
        association = OrganisationFactory(kind="association", code="assoc-x", name_zh="某协会")
        with translation.override("en"), pytest.raises(ValidationFailed) as refused:
            user_create(
                actor=None, username="zhao", organisation=association, roles=["officer"], password=GOOD_PASSWORD
            )
        assert "Officer" in refused.value.fields["roles"][0]
        assert "Industry association" in refused.value.fields["roles"][0]
        assert not User.objects.filter(username="zhao").exists()
        (row,) = _refusals("accounts.user.create")
        assert row.detail["fields"] == ["roles"]

    def test_weak_password_is_refused(self, db: None) -> None:
        with pytest.raises(ValidationFailed) as refused:
            user_create(
                actor=None,
                username="qian",
                organisation=department("fire"),
                roles=["officer"],
                password="harbourwatch",  # one character class only
            )
        assert set(refused.value.fields) == {"password"}
        assert not User.objects.filter(username="qian").exists()
        (row,) = _refusals("accounts.user.create")
        assert row.detail["fields"] == ["password"]
        assert "harbourwatch" not in str(row.detail)

    def test_password_must_not_contain_the_user_name(self, db: None) -> None:
        with pytest.raises(ValidationFailed) as refused:
            user_create(
                actor=None, username="sun", organisation=department("fire"), roles=["officer"], password="Sun#12345x"
            )
        assert set(refused.value.fields) == {"password"}

    def test_user_name_is_unique_whatever_the_case(self, emergency_officer) -> None:
        with pytest.raises(ValidationFailed) as refused:
            user_create(
                actor=None,
                username="Emergency_Officer",
                organisation=department("emergency"),
                roles=["officer"],
                password=GOOD_PASSWORD,
            )
        assert set(refused.value.fields) == {"username"}
        assert User.objects.filter(username__iexact="emergency_officer").count() == 1

    def test_every_problem_is_named_at_once(self, db: None) -> None:
        with pytest.raises(ValidationFailed) as refused:
            user_create(
                actor=None, username="bad name!", organisation=department("fire"), roles=["wizard"], password="x"
            )
        assert set(refused.value.fields) == {"username", "roles", "password"}

    def test_other_people_may_not_create_accounts(self, security_admin) -> None:
        """Account management is the system administrator's alone, not the security administrator's."""
        with pytest.raises(PermissionDenied):
            user_create(
                actor=security_admin,
                username="zhou",
                organisation=department("fire"),
                roles=["officer"],
                password=GOOD_PASSWORD,
            )
        assert not User.objects.filter(username="zhou").exists()
        (row,) = _refusals("accounts.user.create")
        assert row.outcome == "denied"
        assert row.actor_username == "security_admin"


class TestOrganisationCreate:
    def test_creates_a_department_with_an_audit_row(self, zone_admin_org) -> None:
        org = organisation_create(
            actor=None,
            kind="department",
            code="dept-maritime",
            name_zh="海事局",
            name_en="Maritime Safety Administration",
            department_code="maritime",
            parent=zone_admin_org,
            is_demo=True,
        )
        assert org.parent == zone_admin_org
        assert org.is_demo
        row = AuditRecord.objects.get(action="accounts.organisation.create")
        assert row.outcome == "ok"
        assert row.actor_username == "system"
        assert row.after["department_code"] == "maritime"

    def test_codes_are_unique_and_department_codes_only_for_government(self, zone_admin_org) -> None:
        with pytest.raises(ValidationFailed) as refused:
            organisation_create(
                actor=None, kind="association", code=zone_admin_org.code, name_zh="协会", department_code="customs"
            )
        assert set(refused.value.fields) == {"code", "department_code"}
        with pytest.raises(ValidationFailed) as refused:
            organisation_create(
                actor=None, kind="department", code="dept-zone2", name_zh="第二管委会", department_code="zone_admin"
            )
        assert set(refused.value.fields) == {"department_code"}
        assert Organisation.objects.count() == 1
        assert len(_refusals("accounts.organisation.create")) == 2

    def test_enterprise_users_may_not_create_organisations(self, enterprise_admin) -> None:
        count = Organisation.objects.count()
        with pytest.raises(PermissionDenied):
            organisation_create(actor=enterprise_admin, kind="association", code="assoc-new", name_zh="新协会")
        assert Organisation.objects.count() == count
        (row,) = _refusals("accounts.organisation.create")
        assert row.outcome == "denied"
