"""Pages: the zone list, an enterprise's explanation, objection from the page, decision, policy, peer zones,
import by upload, the profile panel and the public list."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ftzsafety.credit import services
from ftzsafety.credit.choices import ApplicationStatus, EventKind
from ftzsafety.credit.models import CreditApplication, CreditEvent, CreditPolicy, RecognisedRecord
from ftzsafety.credit.policies import default_rules
from ftzsafety.credit.selectors import credit_explain


def test_zone_list_filters_and_counts(api_client, enterprise, other_enterprise, record, commander) -> None:
    record(enterprise, EventKind.FALSE_FILING)
    record(other_enterprise, EventKind.PENALTY)
    page = api_client(commander).get("/credit/")
    assert page.status_code == 200
    text = page.content.decode()
    assert enterprise.uscc in text
    assert other_enterprise.uscc in text
    filtered = api_client(commander).get("/credit/?grade=D", HTTP_HX_REQUEST="true").content.decode()
    assert enterprise.uscc in filtered
    assert other_enterprise.uscc not in filtered
    assert "<html" not in filtered
    empty = api_client(commander).get("/credit/?q=不存在的企业").content.decode()
    assert 'data-testid="empty-state"' in empty


def test_enterprise_user_is_sent_to_its_own_page(api_client, enterprise, enterprise_admin) -> None:
    response = api_client(enterprise_admin).get("/credit/")
    assert response.status_code == 302
    assert response["Location"] == f"/credit/enterprises/{enterprise.uscc}/"


@pytest.mark.parametrize(("language", "heading"), [("zh-hans", '<html lang="zh-hans">'), ("en", '<html lang="en">')])
def test_explanation_page_adds_up(api_client, enterprise, record, emergency_officer, language, heading) -> None:
    record(enterprise, EventKind.HAZARD_OVERDUE, days_ago=5)
    record(enterprise, EventKind.FILING_APPROVED_CLEAN, days_ago=1)
    client = api_client(emergency_officer)
    client.cookies["django_language"] = language
    page = client.get(f"/credit/enterprises/{enterprise.uscc}/", HTTP_ACCEPT_LANGUAGE=language)
    text = page.content.decode()
    assert page.status_code == 200
    assert heading in text
    explanation = credit_explain(actor=emergency_officer, uscc=enterprise.uscc)
    assert f'data-testid="factor-sum">{explanation.score}<' in text
    assert f'data-testid="score">{explanation.score}<' in text
    assert 'data-testid="event-form"' in text
    assert 'data-testid="application-form"' not in text


def test_enterprise_objects_from_its_page(api_client, enterprise, record, enterprise_admin) -> None:
    event = record(enterprise, EventKind.PENALTY)
    client = api_client(enterprise_admin)
    page = client.get(f"/credit/enterprises/{enterprise.uscc}/").content.decode()
    assert 'data-testid="application-form"' in page
    assert 'data-testid="event-form"' not in page
    bad = client.post(
        f"/credit/enterprises/{enterprise.uscc}/",
        {"action": "apply", "event_id": event.pk, "kind": "objection", "reason": "短"},
    )
    assert bad.status_code == 200
    assert 'data-testid="errors-reason"' in bad.content.decode()
    assert not CreditApplication.objects.exists()
    ok = client.post(
        f"/credit/enterprises/{enterprise.uscc}/",
        {
            "action": "apply",
            "event_id": event.pk,
            "kind": "objection",
            "reason": "处罚所依据的检查记录有误，已提交复核。",
        },
    )
    assert ok.status_code == 302
    assert CreditApplication.objects.get().kind == "objection"
    refused = client.post(f"/credit/enterprises/{enterprise.uscc}/", {"action": "event", "event-kind": "penalty"})
    assert refused.status_code == 403
    assert CreditEvent.objects.count() == 1


def test_officer_records_certificate_from_page(api_client, enterprise, emergency_officer) -> None:
    expires = (timezone.localdate() + timedelta(days=365)).isoformat()
    response = api_client(emergency_officer).post(
        f"/credit/enterprises/{enterprise.uscc}/",
        {
            "action": "event",
            "event-kind": "certification",
            "event-occurred_on": timezone.localdate().isoformat(),
            "event-reference": "DOC-ISM-2026-118",
            "event-certificate_type": "ISM",
            "event-expires_on": expires,
        },
    )
    assert response.status_code == 302
    event = CreditEvent.objects.get()
    assert event.certificate_type == "ISM"
    assert event.valid_until.isoformat() == expires


def test_decision_page(api_client, enterprise, record, enterprise_admin, commander, emergency_officer) -> None:
    event = record(enterprise, EventKind.PENALTY)
    application = services.credit_application_submit(
        actor=enterprise_admin, event_id=event.pk, kind="objection", reason="处罚决定已被撤销，请核实。"
    )
    assert (
        'data-testid="decision-form"'
        not in api_client(emergency_officer).get(f"/credit/applications/{application.pk}/").content.decode()
    )
    assert (
        api_client(emergency_officer)
        .post(f"/credit/applications/{application.pk}/", {"uphold": "1", "reasons": "无权决定的人试图决定。"})
        .status_code
        == 403
    )
    listing = api_client(commander).get("/credit/applications/?status=submitted").content.decode()
    assert enterprise.name in listing
    response = api_client(commander).post(
        f"/credit/applications/{application.pk}/", {"uphold": "1", "reasons": "撤销决定书已核实，撤销事件。"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UPHELD


def test_policy_page_and_new_version(api_client, commander, analyst) -> None:
    assert 'data-testid="policy-form"' not in api_client(analyst).get("/credit/policy/").content.decode()
    page = api_client(commander).get("/credit/policy/").content.decode()
    assert 'data-testid="policy-measures"' in page
    assert 'data-testid="policy-form"' in page
    bad = api_client(commander).post("/credit/policy/", {"rules": "{not json", "note": "x"})
    assert "Not valid JSON" in bad.content.decode() or "JSON" in bad.content.decode()
    rules = default_rules()
    rules["kinds"]["penalty"]["weight"] = "oops"
    named = api_client(commander).post("/credit/policy/", {"rules": json.dumps(rules), "note": "试错"}).content.decode()
    assert "kinds.penalty.weight" in named
    assert CreditPolicy.objects.count() == 1
    rules["kinds"]["penalty"]["weight"] = "-12"
    done = api_client(commander).post("/credit/policy/", {"rules": json.dumps(rules), "note": "加重处罚权重"})
    assert done.status_code == 302
    assert CreditPolicy.objects.count() == 2


def test_peer_zone_page_import_upload(api_client, enterprise, record, commander, settings, tmp_path) -> None:
    settings.ZONE_ID, settings.KEY_DIR = "zone-a", tmp_path / "a"
    record(enterprise, EventKind.INSPECTION_PASSED)
    document = services.credit_record_export(actor=commander, uscc=enterprise.uscc)
    key = services.zone_public_key()["public_key_pem"]
    settings.ZONE_ID, settings.KEY_DIR = "zone-b", tmp_path / "b"
    client = api_client(commander)
    unknown = client.post(
        "/credit/peer-zones/", {"action": "import", "document": SimpleUploadedFile("r.json", document.encode())}
    )
    assert "zone-a" in unknown.content.decode()
    assert not RecognisedRecord.objects.exists()
    client.post(
        "/credit/peer-zones/",
        {"action": "register", "zone_id": "zone-a", "name_zh": "甲片区", "name_en": "Zone A", "public_key_pem": key},
    )
    ok = client.post(
        "/credit/peer-zones/", {"action": "import", "document": SimpleUploadedFile("r.json", document.encode())}
    )
    assert ok.status_code == 302
    assert RecognisedRecord.objects.count() == 1
    page = client.get(f"/credit/enterprises/{enterprise.uscc}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "recognised from Zone A" in page


def test_profile_panel(api_client, enterprise, other_enterprise, record, emergency_officer, enterprise_admin) -> None:
    record(enterprise, EventKind.FALSE_FILING)
    panel = api_client(emergency_officer).get(f"/credit/enterprises/{enterprise.uscc}/panel/").content.decode()
    assert 'data-testid="credit-panel"' in panel
    assert "grade--D" in panel
    hidden = api_client(enterprise_admin).get(f"/credit/enterprises/{other_enterprise.uscc}/panel/").content.decode()
    assert "credit-panel" not in hidden
    from ftzsafety.enterprises.profile import profile_panels

    assert any(p["key"] == "credit" for p in profile_panels(emergency_officer, enterprise))


def test_grade_list_costs_a_fixed_number_of_queries(api_client, zone_admin_org, commander) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ftzsafety.credit.services import credit_regrade_zone
    from tests.enterprises.factories import EnterpriseFactory

    client = api_client(commander)
    counts = []
    for _ in range(2):
        EnterpriseFactory.create_batch(20)
        credit_regrade_zone(actor=None)
        client.get("/credit/")  # warm the session and permission caches
        with CaptureQueriesContext(connection) as page:
            assert client.get("/credit/").status_code == 200
        with CaptureQueriesContext(connection) as api:
            assert client.get("/api/v1/credit/grades?limit=50").status_code == 200
        counts.append((len(page), len(api)))
    assert counts[0] == counts[1]  # 20 or 40 rows: the same queries
