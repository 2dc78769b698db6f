"""Sign-in security of 等保 2.0 level 3: password rules, lockout, TOTP with replay refusal, session limits,
disabling an account."""

import re
import time
from datetime import timedelta

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from ftzsafety.accounts import services
from ftzsafety.accounts.models import ApiToken, User
from ftzsafety.accounts.sessions import SIGNED_IN_AT
from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import PermissionDenied, ValidationFailed
from tests.accounts.factories import PASSWORD

LOGIN = "/accounts/login/"


def _enrol(user: User) -> str:
    secret = pyotp.random_base32()
    services.totp_enrol(user=user, secret=secret, code=pyotp.TOTP(secret).now())
    user.refresh_from_db()
    # Enrolment used the current step; let sign-in use the next one, as a person would a moment later.
    User.objects.filter(pk=user.pk).update(totp_last_timecode=user.totp_last_timecode - 2)
    return secret


def _password_step(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


class TestPasswordRules:
    @pytest.mark.parametrize(
        ("password", "why"),
        [("Ab1!", "too short"), ("abcdefgh1", "two classes"), ("Xemergency_officer1", "contains user name")],
    )
    def test_weak_passwords_are_refused_and_nothing_changes(self, emergency_officer, password, why):
        before = User.objects.get(pk=emergency_officer.pk).password
        with pytest.raises(ValidationFailed) as exc:
            services.password_change(actor=emergency_officer, new_password=password)
        assert exc.value.fields["new_password1"], why
        assert User.objects.get(pk=emergency_officer.pk).password == before

    def test_a_good_password_restarts_the_clock_and_is_audited(self, emergency_officer):
        services.password_change(actor=emergency_officer, new_password="Harbour-Safety-2026")
        user = User.objects.get(pk=emergency_officer.pk)
        assert user.check_password("Harbour-Safety-2026")
        assert user.password_changed_at is not None
        assert AuditRecord.objects.filter(action="accounts.password.change", actor_id=user.pk).exists()

    def test_an_old_password_prompts_a_change(self, client, enterprise_admin):
        User.objects.filter(pk=enterprise_admin.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
        assert _password_step(client, "enterprise_admin").status_code == 302
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password/"


class TestLockout:
    def test_five_failures_lock_the_account_even_for_the_right_password(self, client, enterprise_admin):
        for _ in range(5):
            assert _password_step(client, "enterprise_admin", "wrong-Password-1").status_code in (200, 429)
        response = _password_step(client, "enterprise_admin")
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session
        assert AuditRecord.objects.filter(action="accounts.user.locked", actor_username="enterprise_admin").exists()

    def test_the_lock_expires_after_fifteen_minutes(self, client, enterprise_admin):
        from axes.models import AccessAttempt

        for _ in range(5):
            _password_step(client, "enterprise_admin", "wrong-Password-1")
        assert _password_step(client, "enterprise_admin").status_code == 429
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
        assert _password_step(client, "enterprise_admin").status_code == 302

    def test_the_system_administrator_unlocks(self, client, enterprise_admin, system_admin):
        for _ in range(5):
            _password_step(client, "enterprise_admin", "wrong-Password-1")
        services.user_unlock(actor=system_admin, user_id=enterprise_admin.pk)
        assert _password_step(client, "enterprise_admin").status_code == 302
        assert AuditRecord.objects.filter(action="accounts.user.unlock", target_id=str(enterprise_admin.pk)).exists()

    def test_only_the_system_administrator_unlocks(self, enterprise_admin, security_admin):
        with pytest.raises(PermissionDenied):
            services.user_unlock(actor=security_admin, user_id=enterprise_admin.pk)


class TestSecondFactor:
    def test_a_government_user_is_not_signed_in_by_the_password_alone(self, client, emergency_officer):
        response = _password_step(client, "emergency_officer")
        assert response["Location"] == "/accounts/login/enrol/"
        assert "_auth_user_id" not in client.session
        assert client.get("/").status_code == 302  # still anonymous

    def test_enrolment_shows_a_qr_code_and_a_code_completes_sign_in(self, client, emergency_officer):
        _password_step(client, "emergency_officer")
        page = client.get("/accounts/login/enrol/")
        assert b"<svg" in page.content
        secret = client.session["ftzsafety_pending_2fa"]["new_secret"]
        response = client.post("/accounts/login/enrol/", {"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(emergency_officer.pk)
        assert User.objects.get(pk=emergency_officer.pk).totp_confirmed_at is not None

    def test_a_code_is_usable_once(self, emergency_officer):
        secret = _enrol(emergency_officer)
        code = pyotp.TOTP(secret).now()
        first, second = Client(), Client()
        _password_step(first, "emergency_officer")
        assert first.post("/accounts/login/code/", {"code": code}).status_code == 302
        assert "_auth_user_id" in first.session
        _password_step(second, "emergency_officer")
        replay = second.post("/accounts/login/code/", {"code": code})
        assert replay.status_code == 200
        assert "_auth_user_id" not in second.session
        assert AuditRecord.objects.filter(action="accounts.totp.verify", outcome="failed").exists()

    def test_five_wrong_codes_abandon_the_sign_in(self, client, emergency_officer):
        _enrol(emergency_officer)
        _password_step(client, "emergency_officer")
        for _ in range(5):
            client.post("/accounts/login/code/", {"code": "000000"})
        assert "ftzsafety_pending_2fa" not in client.session
        assert client.get("/accounts/login/code/")["Location"] == LOGIN

    def test_enterprise_users_sign_in_with_the_password(self, client, enterprise_admin):
        assert _password_step(client, "enterprise_admin")["Location"] == "/"
        assert client.session["_auth_user_id"] == str(enterprise_admin.pk)


class TestSessions:
    def test_idle_timeout_is_thirty_minutes_and_sliding(self, settings):
        assert settings.SESSION_COOKIE_AGE == 1800
        assert settings.SESSION_SAVE_EVERY_REQUEST is True

    def test_the_absolute_limit_ends_a_session(self, client, enterprise_admin, settings):
        _password_step(client, "enterprise_admin")
        assert client.get("/").status_code == 200
        session = client.session
        session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
        session.save()
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert "_auth_user_id" not in client.session


class TestDisable:
    def test_disabling_ends_sessions_and_revokes_tokens(self, client, enterprise_admin, system_admin, bearer_client):
        _password_step(client, "enterprise_admin")
        assert client.get("/").status_code == 200
        api = bearer_client(enterprise_admin)
        assert api.get("/api/v1/me").status_code == 200
        services.user_disable(actor=system_admin, user_id=enterprise_admin.pk, reason="left the company")
        assert client.get("/").status_code == 302
        assert api.get("/api/v1/me").status_code == 401
        assert not ApiToken.objects.filter(user=enterprise_admin, revoked_at__isnull=True).exists()
        record = AuditRecord.objects.get(action="accounts.user.disable")
        assert record.detail["sessions_ended"] == 1

    def test_only_the_system_administrator_disables(self, enterprise_admin, security_admin):
        with pytest.raises(PermissionDenied):
            services.user_disable(actor=security_admin, user_id=enterprise_admin.pk, reason="x")
        assert User.objects.get(pk=enterprise_admin.pk).is_active


def test_the_totp_secret_is_encrypted_at_rest(emergency_officer):
    from django.db import connection

    secret = _enrol(emergency_officer)
    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret FROM accounts_user WHERE id = %s", [emergency_officer.pk])
        stored = cursor.fetchone()[0]
    assert secret not in stored
    assert stored.startswith("sm4-")
    assert User.objects.get(pk=emergency_officer.pk).totp_secret == secret


@pytest.mark.django_db
def test_the_sign_in_page_offers_the_public_services_and_they_open_without_an_account(client):
    html = client.get(LOGIN).content.decode()
    links = re.findall(r'<a href="(/[^"]*)"', html.split('class="auth-card public-services"', 1)[1])
    assert links == ["/hazards/report/", "/verify/", "/credit/public/"]
    for link in links:
        assert client.get(link).status_code == 200, link
