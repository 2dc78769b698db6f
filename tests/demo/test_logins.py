"""The demo logins printed by `ftzsafety demo`: the zone's named users in order, then the accounts other demo modules
add (field officers, department heads), so every demo account a flow needs can be signed in to."""

import pytest

from ftzsafety.demo.logins import demo_login_rows
from ftzsafety.demo.zone import DEMO_PASSWORD
from tests.accounts.factories import UserFactory, department

pytestmark = pytest.mark.django_db


def test_named_users_first_then_other_demo_accounts_and_never_real_ones():
    emergency = department("emergency")
    market = department("market")
    UserFactory(username="emergency_officer", organisation=emergency, roles=["officer"], is_demo=True)
    UserFactory(username="market_head", organisation=market, roles=["department_head"], is_demo=True)
    UserFactory(username="a_real_officer", organisation=market, roles=["officer"], is_demo=False)
    UserFactory(username="gone_head", organisation=market, roles=["department_head"], is_demo=True, is_active=False)

    rows = demo_login_rows()

    assert [row[0] for row in rows] == ["emergency_officer", "market_head"]
    assert rows[1][1] == "部门负责人"
    assert all(row[3] == DEMO_PASSWORD for row in rows)


def test_every_printed_government_login_has_its_second_factor_uri():
    from ftzsafety.accounts.services import totp_assign_demo_secret
    from ftzsafety.demo.logins import demo_totp_uris

    market = department("market")
    for username in ("market_officer", "market_head"):
        user = UserFactory(username=username, organisation=market, roles=["officer"], is_demo=True)
        totp_assign_demo_secret(user=user)

    assert [username for username, _uri in demo_totp_uris()] == ["market_officer", "market_head"]
    assert all(uri.startswith("otpauth://totp/ftzsafety:") for _username, uri in demo_totp_uris())
