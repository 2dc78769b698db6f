"""Sign-in, sign-out and failed sign-in are on the trail with the IP address and the user name as typed."""

import pytest
from django.contrib.auth import authenticate, login, logout
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from ftzsafety.audit.models import AuditRecord
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def web_request(ip: str = "10.20.30.40"):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=ip)
    request.session = SessionStore()
    return request


def test_a_sign_in_and_sign_out_are_recorded(enterprise_admin) -> None:
    request = web_request()
    login(request, enterprise_admin, backend="django.contrib.auth.backends.ModelBackend")
    signed_in = AuditRecord.objects.get(action="accounts.user.sign_in")
    assert (signed_in.actor_username, signed_in.outcome, signed_in.ip) == ("enterprise_admin", "ok", "10.20.30.40")
    assert signed_in.organisation_code == enterprise_admin.organisation.code
    request.user = enterprise_admin  # as AuthenticationMiddleware sets it on the next request
    logout(request)
    signed_out = AuditRecord.objects.get(action="accounts.user.sign_out")
    assert (signed_out.actor_id, signed_out.ip) == (enterprise_admin.pk, "10.20.30.40")


def test_a_failed_sign_in_is_recorded_with_the_name_as_typed(enterprise_admin) -> None:
    request = web_request("192.0.2.7")
    assert authenticate(request, username="enterprise_admin", password="wrong-" + PASSWORD) is None
    assert authenticate(request, username="13812345678", password="whatever") is None
    failed = list(AuditRecord.objects.filter(action="accounts.user.sign_in", outcome="failed").order_by("pk"))
    assert [(r.actor_username, r.ip, r.actor_id) for r in failed] == [
        ("enterprise_admin", "192.0.2.7", None),
        ("13812345678", "192.0.2.7", None),
    ]
    assert failed[0].target_id == str(enterprise_admin.pk)
    assert failed[1].target_id == ""
    assert PASSWORD not in str(failed[0].detail)


def test_a_session_sign_in_through_the_client_is_recorded(api_client, enterprise_admin) -> None:
    api_client(enterprise_admin)
    assert AuditRecord.objects.filter(action="accounts.user.sign_in", actor_id=enterprise_admin.pk).exists()
