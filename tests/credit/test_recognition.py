"""Mutual recognition: a record exported and SM2-signed by one zone instance verifies in another; one altered byte,
an unknown or inactive zone, a foreign key or an unknown enterprise is refused with a reason and nothing stored."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import PermissionDenied, ValidationFailed
from ftzsafety.credit import services
from ftzsafety.credit.choices import EventKind
from ftzsafety.credit.models import CreditEvent, CreditGrade, PeerZone, RecognisedRecord
from ftzsafety.credit.selectors import credit_explain


@pytest.fixture
def zone_a(settings, tmp_path):
    settings.ZONE_ID = "zone-a"
    settings.KEY_DIR = tmp_path / "keys-a"
    return settings


def switch_to_zone_b(settings, tmp_path) -> None:
    settings.ZONE_ID = "zone-b"
    settings.KEY_DIR = tmp_path / "keys-b"


@pytest.fixture
def exported(zone_a, tmp_path, enterprise, record, commander):
    """Zone A's signed record of `enterprise` (a penalty and a valid ISM certificate) and A's public key."""
    expires = (timezone.localdate() + timedelta(days=200)).isoformat()
    record(enterprise, EventKind.PENALTY, days_ago=40, ref="A-P-1")
    record(
        enterprise,
        EventKind.CERTIFICATION,
        days_ago=90,
        ref="A-ISM-1",
        detail={"certificate_type": "ISM", "expires_on": expires},
    )
    document = services.credit_record_export(actor=commander, uscc=enterprise.uscc)
    key = services.zone_public_key()
    # Zone B knows the same enterprise, but none of A's events: start B's view from a clean slate.
    CreditEvent.objects.all().delete()
    CreditGrade.objects.all().delete()
    switch_to_zone_b(zone_a, tmp_path)
    return document, key


def register_a(commander, key) -> PeerZone:
    return services.peer_zone_register(
        actor=commander,
        zone_id="zone-a",
        name_zh="临港自贸片区（演示）",
        name_en="Lingang zone (demo)",
        public_key_pem=key["public_key_pem"],
    )


class TestExport:
    def test_document_is_canonical_signed_and_audited(self, exported) -> None:
        document, key = exported
        envelope = json.loads(document)
        assert set(envelope) == {"format", "zone_id", "key_id", "algorithm", "payload", "signature"}
        assert envelope["zone_id"] == "zone-a"
        assert envelope["key_id"] == key["key_id"]
        payload = json.loads(envelope["payload"])
        assert payload["grade"]["grade"] == "A"
        assert payload["grade"]["overrides"] == ["certificate_to_a"]
        assert [e["kind"] for e in payload["events"]] == ["certification", "penalty"]
        assert AuditRecord.objects.filter(action="credit.record.export").count() == 1

    def test_enterprise_cannot_export_another(self, enterprise, other_enterprise, enterprise_admin) -> None:
        from ftzsafety.core.errors import NotFound

        with pytest.raises(NotFound):
            services.credit_record_export(actor=enterprise_admin, uscc=other_enterprise.uscc)


class TestImport:
    def test_verifies_and_recognises(self, exported, commander, enterprise, emergency_officer) -> None:
        document, key = exported
        register_a(commander, key)
        record = services.credit_record_import(actor=commander, document=document.encode())
        assert record.peer_zone.zone_id == "zone-a"
        assert record.peer_grade == "A"
        events = CreditEvent.objects.filter(enterprise=enterprise)
        assert events.count() == 2
        assert all(e.recognised_from_id == record.peer_zone_id for e in events)
        grade = CreditGrade.objects.get(enterprise=enterprise)
        assert grade.grade == "A"  # the recognised ISM certificate counts per policy
        assert grade.overrides[0]["recognised_from"] == "zone-a"
        explanation = credit_explain(actor=emergency_officer, uscc=enterprise.uscc)
        names = {"临港自贸片区（演示）", "Lingang zone (demo)"}  # shown in the viewer's language
        assert explanation.recognised[0]["zone"] in names
        assert {f["recognised_from"] for f in explanation.factors if f["label"] == "event"} <= names
        assert sum(f["contribution"] for f in explanation.factors) == explanation.score
        assert AuditRecord.objects.filter(action="credit.record.import").count() == 1
        again = services.credit_record_import(actor=commander, document=document)
        assert again.pk == record.pk
        assert RecognisedRecord.objects.count() == 1
        assert events.count() == 2

    def test_every_single_altered_byte_is_refused(self, exported, commander) -> None:
        document, key = exported
        register_a(commander, key)
        data = document.encode("utf-8")
        audits = AuditRecord.objects.count()
        codes = set()
        for position in range(len(data)):
            altered = bytearray(data)
            altered[position] = altered[position] ^ 0x01
            with pytest.raises(ValidationFailed) as caught:
                services.credit_record_import(actor=commander, document=bytes(altered))
            codes.add(caught.value.code)
        assert codes <= {"malformed", "not_canonical", "bad_signature", "unknown_zone", "bad_algorithm"}
        assert "bad_signature" in codes
        assert not RecognisedRecord.objects.exists()
        assert not CreditEvent.objects.exists()
        # Each refusal leaves exactly one record: the failed import, with its reason and the document's digest.
        refusals = AuditRecord.objects.filter(pk__gt=0).order_by("-id")[: len(data)]
        assert AuditRecord.objects.count() == audits + len(data)
        assert {(r.action, r.outcome) for r in refusals} == {("credit.record.import", "failed")}
        assert {r.detail["code"] for r in refusals} == codes

    def test_altered_grade_is_a_bad_signature(self, exported, commander) -> None:
        document, key = exported
        register_a(commander, key)
        tampered = document.replace('\\"grade\\":\\"A\\"', '\\"grade\\":\\"B\\"', 1)
        assert tampered != document
        with translation.override("en"), pytest.raises(ValidationFailed) as caught:
            services.credit_record_import(actor=commander, document=tampered)
        assert caught.value.code == "bad_signature"
        assert "altered" in caught.value.message

    def test_unknown_zone_refused(self, exported, commander) -> None:
        document, _key = exported
        with pytest.raises(ValidationFailed) as caught:
            services.credit_record_import(actor=commander, document=document)
        assert caught.value.code == "unknown_zone"
        assert "zone-a" in caught.value.message
        assert not RecognisedRecord.objects.exists()
        assert not CreditEvent.objects.exists()

    def test_inactive_zone_refused(self, exported, commander) -> None:
        document, key = exported
        register_a(commander, key)
        services.peer_zone_update(actor=commander, zone_id="zone-a", values={"active": False})
        with pytest.raises(ValidationFailed) as caught:
            services.credit_record_import(actor=commander, document=document)
        assert caught.value.code == "zone_inactive"
        assert not RecognisedRecord.objects.exists()

    def test_signed_by_another_key_refused(self, exported, commander, tmp_path, settings) -> None:
        document, _key = exported
        settings.KEY_DIR = tmp_path / "keys-impostor"
        impostor = services.zone_public_key()
        settings.KEY_DIR = tmp_path / "keys-b"
        register_a(commander, impostor)
        with pytest.raises(ValidationFailed) as caught:
            services.credit_record_import(actor=commander, document=document)
        assert caught.value.code == "bad_signature"
        assert not CreditEvent.objects.exists()

    def test_unknown_enterprise_refused(self, exported, commander, enterprise) -> None:
        document, key = exported
        register_a(commander, key)
        enterprise.delete()
        with pytest.raises(ValidationFailed) as caught:
            services.credit_record_import(actor=commander, document=document)
        assert caught.value.code == "unknown_enterprise"
        assert not RecognisedRecord.objects.exists()

    def test_own_zone_record_refused(self, zone_a, enterprise, commander) -> None:
        document = services.credit_record_export(actor=commander, uscc=enterprise.uscc)
        with pytest.raises(ValidationFailed) as caught:
            services.credit_record_import(actor=commander, document=document)
        assert caught.value.code == "own_zone"

    def test_only_zone_administration_imports(self, exported, commander, emergency_head) -> None:
        document, key = exported
        register_a(commander, key)
        with pytest.raises(PermissionDenied):
            services.credit_record_import(actor=emergency_head, document=document)
        assert not RecognisedRecord.objects.exists()


class TestPeerZones:
    def test_register_validates_key_and_id(self, commander, settings) -> None:
        with pytest.raises(ValidationFailed) as caught:
            services.peer_zone_register(actor=commander, zone_id="Bad Id", name_zh="", public_key_pem="not a key")
        assert {"zone_id", "name_zh", "public_key_pem"} <= set(caught.value.fields)
        with pytest.raises(ValidationFailed) as caught:
            services.peer_zone_register(
                actor=commander,
                zone_id=settings.ZONE_ID,
                name_zh="自己",
                public_key_pem=services.zone_public_key()["public_key_pem"],
            )
        assert "zone_id" in caught.value.fields
        assert not PeerZone.objects.exists()

    def test_register_and_update_audited(self, commander, emergency_head) -> None:
        key = services.zone_public_key()["public_key_pem"]
        with pytest.raises(PermissionDenied):
            services.peer_zone_register(actor=emergency_head, zone_id="zone-x", name_zh="某片区", public_key_pem=key)
        peer = services.peer_zone_register(actor=commander, zone_id="zone-x", name_zh="某片区", public_key_pem=key)
        services.peer_zone_update(actor=commander, zone_id="zone-x", values={"name_en": "Zone X"})
        peer.refresh_from_db()
        assert peer.name_en == "Zone X"
        assert list(
            AuditRecord.objects.filter(action__startswith="credit.peer_zone").values_list("action", "outcome")
        ) == [
            ("credit.peer_zone.register", "denied"),
            ("credit.peer_zone.register", "ok"),
            ("credit.peer_zone.update", "ok"),
        ]


def test_base64_malleable_signature_character_refused(zone_a, tmp_path, enterprise, commander) -> None:
    """Base64's last character carries unused bits: a changed character that decodes to the same signature bytes
    must still be refused (found by the every-byte test on an unlucky signature length)."""
    import base64

    for _attempt in range(30):  # DER signatures are 70–72 bytes; 72 leaves no unused bits, so sign again
        document = services.credit_record_export(actor=commander, uscc=enterprise.uscc)
        signature = json.loads(document)["signature"]
        if len(base64.b64decode(signature)) % 3:
            break
    key = services.zone_public_key()
    switch_to_zone_b(zone_a, tmp_path)
    register_a(commander, key)
    body = signature.rstrip("=")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    twins = [
        c
        for c in alphabet
        if c != body[-1] and base64.b64decode(body[:-1] + c + signature[len(body) :]) == base64.b64decode(signature)
    ]
    assert twins
    tampered = document.replace(signature, body[:-1] + twins[0] + signature[len(body) :])
    with pytest.raises(ValidationFailed) as caught:
        services.credit_record_import(actor=commander, document=tampered)
    assert caught.value.code == "bad_signature"
    assert not RecognisedRecord.objects.exists()
