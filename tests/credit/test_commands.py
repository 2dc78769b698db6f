"""`ftzsafety credit_regrade`, `credit_export USCC`, `credit_import FILE`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ftzsafety.credit import services
from ftzsafety.credit.choices import EventKind
from ftzsafety.credit.models import CreditGrade, RecognisedRecord


def test_regrade_reports_and_shows_progress(enterprise, other_enterprise, record) -> None:
    record(enterprise, EventKind.FALSE_FILING)
    CreditGrade.objects.all().delete()
    out, err = StringIO(), StringIO()
    call_command("credit_regrade", stdout=out, stderr=err)
    assert "re-graded 2 enterprises from 1 events" in out.getvalue()
    assert "A 0, B 0, C 1, D 1" in out.getvalue()
    assert "[##############################] 2/2" in err.getvalue()
    assert CreditGrade.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("credit_regrade", "--as-of", "tomorrow")


def test_export_import_round_trip(enterprise, record, commander, settings, tmp_path) -> None:
    settings.ZONE_ID, settings.KEY_DIR = "zone-a", tmp_path / "a"
    record(enterprise, EventKind.INSPECTION_PASSED)
    path = tmp_path / "record.json"
    call_command(
        "credit_export", enterprise.uscc, "--user", commander.username, "--output", str(path), stderr=StringIO()
    )
    key = services.zone_public_key()["public_key_pem"]
    settings.ZONE_ID, settings.KEY_DIR = "zone-b", tmp_path / "b"
    with pytest.raises(CommandError, match="unknown_zone"):
        call_command("credit_import", str(path), "--user", commander.username)
    services.peer_zone_register(actor=commander, zone_id="zone-a", name_zh="甲片区", public_key_pem=key)
    tampered = tmp_path / "tampered.json"
    data = bytearray(path.read_bytes())
    data[-40] ^= 0x01
    tampered.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="refused"):
        call_command("credit_import", str(tampered), "--user", commander.username)
    out = StringIO()
    call_command("credit_import", str(path), "--user", commander.username, stdout=out)
    assert out.getvalue().startswith(f"recognised {enterprise.uscc} from zone-a")
    assert RecognisedRecord.objects.count() == 1
