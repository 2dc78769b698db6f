"""User administration under 三员分立: the system administrator disables and unlocks, the security administrator
assigns roles; each refusal changes nothing and is audited."""

import pytest
from django.test import Client

from ftzsafety.accounts import services
from ftzsafety.accounts.models import User
from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _roles(user: User) -> list[str]:
    return sorted(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("system_admin", 200),
        ("security_admin", 200),
        ("audit_admin", 403),
        ("commander", 403),
        ("enterprise_admin", 403),
    ],
)
def test_who_may_open_the_accounts_page(request, who, status):
    assert _client(request.getfixturevalue(who)).get("/accounts/users/").status_code == status


class TestRoles:
    def test_the_security_administrator_assigns_roles(self, security_admin, emergency_officer):
        response = _client(security_admin).post(
            f"/accounts/users/{emergency_officer.pk}/roles/", {"roles": ["officer", "reviewer"]}
        )
        assert response.status_code == 302
        assert _roles(emergency_officer) == ["officer", "reviewer"]
        record = AuditRecord.objects.get(action="accounts.user.roles", outcome="ok")
        assert (record.before, record.after) == ({"roles": ["officer"]}, {"roles": ["officer", "reviewer"]})

    def test_the_system_administrator_may_not(self, system_admin, emergency_officer):
        with pytest.raises(PermissionDenied):
            services.user_roles_set(actor=system_admin, user_id=emergency_officer.pk, roles=["commander"])
        assert _roles(emergency_officer) == ["officer"]
        assert AuditRecord.objects.filter(action="accounts.user.roles", outcome="denied").exists()

    def test_nobody_assigns_roles_to_themselves(self, security_admin):
        with pytest.raises(PermissionDenied):
            services.user_roles_set(actor=security_admin, user_id=security_admin.pk, roles=["security_admin"])

    @pytest.mark.parametrize(
        ("target", "roles"),
        [
            ("system_admin", ["system_admin", "audit_admin"]),
            ("enterprise_admin", ["officer"]),
            ("emergency_officer", []),
        ],
    )
    def test_bad_role_sets_are_refused_and_change_nothing(self, request, security_admin, target, roles):
        person = request.getfixturevalue(target)
        before = _roles(person)
        with pytest.raises(ValidationFailed):
            services.user_roles_set(actor=security_admin, user_id=person.pk, roles=roles)
        assert _roles(person) == before
        assert AuditRecord.objects.filter(action="accounts.user.roles", outcome="failed").exists()


class TestDisableAndUnlock:
    def test_disable_asks_for_a_reason_then_disables(self, system_admin, enterprise_admin):
        client = _client(system_admin)
        page = client.get(f"/accounts/users/{enterprise_admin.pk}/disable/")
        assert b'name="reason"' in page.content
        assert client.post(f"/accounts/users/{enterprise_admin.pk}/disable/", {"reason": " "}).status_code == 200
        assert User.objects.get(pk=enterprise_admin.pk).is_active
        client.post(f"/accounts/users/{enterprise_admin.pk}/disable/", {"reason": "离职"})
        assert not User.objects.get(pk=enterprise_admin.pk).is_active

    def test_the_security_administrator_cannot_disable(self, security_admin, enterprise_admin):
        response = _client(security_admin).post(f"/accounts/users/{enterprise_admin.pk}/disable/", {"reason": "x"})
        assert response.status_code == 404
        assert User.objects.get(pk=enterprise_admin.pk).is_active

    def test_a_locked_account_shows_and_unlocks(self, system_admin, enterprise_admin):
        anonymous = Client()
        for _ in range(5):
            anonymous.post("/accounts/login/", {"username": "enterprise_admin", "password": "wrong-Password-1"})
        client = _client(system_admin)
        assert b"Locked" in client.get("/accounts/users/").content
        client.post(f"/accounts/users/{enterprise_admin.pk}/unlock/")
        assert b"Locked" not in client.get("/accounts/users/").content
