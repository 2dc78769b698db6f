"""API bearer tokens: issued once, stored as digests, expiring, revocable; and their use on the API."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ftzsafety.accounts.models import ApiToken
from ftzsafety.accounts.services import (
    TOKEN_PREFIX,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    token_digest,
)
from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import NotFound, PermissionDenied, ValidationFailed


def bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="en")


class TestCreate:
    def test_secret_is_shown_once_and_stored_as_a_digest(self, emergency_officer):
        issued = api_token_create(actor=emergency_officer, user=emergency_officer, expires_days=30, name="ERP")
        assert issued.secret.startswith(TOKEN_PREFIX)
        assert len(issued.secret) >= 40
        token = ApiToken.objects.get(pk=issued.token.pk)
        assert token.digest == token_digest(issued.secret)
        assert issued.secret not in {token.digest, token.prefix, token.name}
        assert token.prefix == issued.secret[:12]
        assert token.name == "ERP"
        assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
        row = AuditRecord.objects.get(action="accounts.api_token.create")
        assert (row.actor_username, row.target_id, row.outcome) == ("emergency_officer", str(token.pk), "ok")
        assert row.detail["via"] == "web"
        assert issued.secret not in str(row.detail)

    def test_two_tokens_differ(self, emergency_officer):
        a = api_token_create(actor=None, user=emergency_officer)
        b = api_token_create(actor=None, user=emergency_officer)
        assert a.secret != b.secret
        assert a.token.digest != b.token.digest

    def test_default_lifetime_from_settings(self, settings, emergency_officer):
        settings.API_TOKEN_DEFAULT_DAYS = 7
        issued = api_token_create(actor=None, user=emergency_officer)
        assert abs(issued.token.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
        assert AuditRecord.objects.get(action="accounts.api_token.create").detail["via"] == "cli"

    @pytest.mark.parametrize("days", [0, -1, 367])
    def test_lifetime_bounds(self, emergency_officer, days):
        with pytest.raises(ValidationFailed) as exc:
            api_token_create(actor=None, user=emergency_officer, expires_days=days)
        assert "expires" in exc.value.fields
        assert not ApiToken.objects.exists()
        assert not AuditRecord.objects.filter(action="accounts.api_token.create").exists()

    def test_no_tokens_for_someone_else(self, emergency_officer, commander):
        with pytest.raises(PermissionDenied):
            api_token_create(actor=emergency_officer, user=commander)
        assert not ApiToken.objects.exists()

    def test_no_tokens_for_a_disabled_account(self, emergency_officer):
        emergency_officer.is_active = False
        emergency_officer.save()
        with pytest.raises(ValidationFailed):
            api_token_create(actor=None, user=emergency_officer)
        assert not ApiToken.objects.exists()


class TestAuthenticate:
    def test_live_token(self, emergency_officer):
        issued = api_token_create(actor=None, user=emergency_officer)
        assert api_token_authenticate(issued.secret) == emergency_officer
        assert ApiToken.objects.get(pk=issued.token.pk).last_used_at is not None

    def test_last_used_is_touched_at_most_once_a_minute(self, emergency_officer):
        issued = api_token_create(actor=None, user=emergency_officer)
        api_token_authenticate(issued.secret)
        first = ApiToken.objects.get(pk=issued.token.pk).last_used_at
        api_token_authenticate(issued.secret)
        assert ApiToken.objects.get(pk=issued.token.pk).last_used_at == first
        ApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=first - timedelta(minutes=2))
        api_token_authenticate(issued.secret)
        assert ApiToken.objects.get(pk=issued.token.pk).last_used_at > first

    def test_dead_tokens(self, emergency_officer):
        expired = api_token_create(actor=None, user=emergency_officer)
        ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        revoked = api_token_create(actor=None, user=emergency_officer)
        api_token_revoke(actor=emergency_officer, token_id=revoked.token.pk)
        live = api_token_create(actor=None, user=emergency_officer)
        assert api_token_authenticate(expired.secret) is None
        assert api_token_authenticate(revoked.secret) is None
        assert api_token_authenticate(live.secret[:-1]) is None
        assert api_token_authenticate(live.secret.removeprefix(TOKEN_PREFIX)) is None
        assert api_token_authenticate(live.token.digest) is None  # the stored digest is not a credential
        assert api_token_authenticate("") is None

    def test_disabled_account(self, emergency_officer):
        issued = api_token_create(actor=None, user=emergency_officer)
        emergency_officer.is_active = False
        emergency_officer.save()
        assert api_token_authenticate(issued.secret) is None


class TestRevoke:
    def test_owner_revokes_once(self, emergency_officer):
        issued = api_token_create(actor=None, user=emergency_officer)
        token = api_token_revoke(actor=emergency_officer, token_id=issued.token.pk)
        assert token.revoked_at is not None
        assert not ApiToken.objects.get(pk=token.pk).is_live
        again = api_token_revoke(actor=emergency_officer, token_id=issued.token.pk)
        assert again.revoked_at == token.revoked_at
        [row] = AuditRecord.objects.filter(action="accounts.api_token.revoke")
        assert (row.actor_username, row.target_id) == ("emergency_officer", str(token.pk))

    def test_security_admin_revokes_anyones(self, emergency_officer, security_admin):
        issued = api_token_create(actor=None, user=emergency_officer)
        api_token_revoke(actor=security_admin, token_id=issued.token.pk)
        assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is not None
        assert AuditRecord.objects.get(action="accounts.api_token.revoke").actor_username == "security_admin"

    @pytest.mark.parametrize("other", ["commander", "system_admin", "audit_admin"])
    def test_others_get_not_found(self, request, emergency_officer, other):
        issued = api_token_create(actor=None, user=emergency_officer)
        with pytest.raises(NotFound):
            api_token_revoke(actor=request.getfixturevalue(other), token_id=issued.token.pk)
        assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None
        assert not AuditRecord.objects.filter(action="accounts.api_token.revoke").exists()

    def test_missing_token(self, emergency_officer):
        with pytest.raises(NotFound):
            api_token_revoke(actor=emergency_officer, token_id=10**9)


class TestOnTheApi:
    """Issue 2, "Done when": with the token GET /api/v1/enterprises?q=… answers JSON; without it, 401."""

    def test_token_answers_json_and_no_token_is_401(self, emergency_officer, enterprise):
        issued = api_token_create(actor=None, user=emergency_officer)
        response = bearer(issued.secret).get("/api/v1/enterprises", {"q": "滨海"})
        assert response.status_code == 200
        assert response.json()["items"][0]["uscc"] == enterprise.uscc
        anonymous = Client().get("/api/v1/enterprises", {"q": "滨海"})
        assert anonymous.status_code == 401
        assert set(anonymous.json()) == {"code", "message", "detail"}

    def test_expired_token_is_401(self, emergency_officer, enterprise):
        issued = api_token_create(actor=None, user=emergency_officer)
        client = bearer(issued.secret)
        assert client.get("/api/v1/me").status_code == 200
        ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        response = client.get("/api/v1/me")
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"

    def test_revoked_token_is_401(self, emergency_officer, security_admin, enterprise):
        issued = api_token_create(actor=None, user=emergency_officer)
        client = bearer(issued.secret)
        assert client.get("/api/v1/enterprises").status_code == 200
        api_token_revoke(actor=security_admin, token_id=issued.token.pk)
        assert client.get("/api/v1/enterprises").status_code == 401

    def test_token_of_a_disabled_account_is_401(self, emergency_officer):
        issued = api_token_create(actor=None, user=emergency_officer)
        emergency_officer.is_active = False
        emergency_officer.save()
        assert bearer(issued.secret).get("/api/v1/me").status_code == 401

    def test_a_token_does_not_open_a_session(self, emergency_officer):
        issued = api_token_create(actor=None, user=emergency_officer)
        client = bearer(issued.secret)
        assert client.get("/api/v1/me").status_code == 200
        assert Client().get("/api/v1/me", HTTP_COOKIE=client.cookies.output(header="", sep=";")).status_code == 401

    def test_token_user_sees_only_their_scope(self, enterprise_staff, other_enterprise, enterprise):
        issued = api_token_create(actor=None, user=enterprise_staff)
        client = bearer(issued.secret)
        assert client.get(f"/api/v1/enterprises/{other_enterprise.uscc}").status_code == 404
        assert client.get("/api/v1/enterprises").json()["count"] == 1
