"""`seed_demo` as a command: it refuses a database that already has organisations, and prints a summary."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from ftzsafety.accounts.models import Organisation, User
from ftzsafety.audit.models import AuditRecord
from ftzsafety.enterprises.models import Enterprise, ZoneArea
from tests.accounts.factories import OrganisationFactory

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_refuses_a_database_that_has_organisations_and_writes_nothing(db: None, capsys) -> None:
    OrganisationFactory(code="someone-else", name_zh="别人的机构")
    audit_rows = AuditRecord.objects.count()
    with pytest.raises(CommandError, match="already has organisations") as refused:
        call_command("seed_demo")
    assert refused.value.returncode == 1
    assert Organisation.objects.count() == 1
    assert not ZoneArea.objects.exists()
    assert not Enterprise.objects.exists()
    assert not User.objects.exists()
    assert AuditRecord.objects.count() == audit_rows


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_force_adds_the_demo_zone_beside_existing_rows(db: None, capsys) -> None:
    OrganisationFactory(code="someone-else", name_zh="别人的机构")
    call_command("seed_demo", "--force")
    out = capsys.readouterr().out
    assert "滨海自贸试验区（演示）" in out
    assert "emergency_officer" in out
    assert "Binhai#Demo2025" in out
    assert Organisation.objects.filter(code="someone-else", is_demo=False).exists()
    assert Enterprise.objects.count() == 300
