"""The audit administrator's pages: search, verify, export. Nobody else may use them, and each denied attempt is
on the trail."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ftzsafety import audit
from ftzsafety.audit.models import AuditRecord
from tests.audit.conftest import raw, triggers_off
from tests.portal.html_checks import assert_csp_clean

pytestmark = pytest.mark.django_db

PAGES = [
    ("audit:list", "audit.record.list"),
    ("audit:verify", "audit.chain.verify"),
    ("audit:export", "audit.record.export"),
]


@pytest.mark.parametrize(
    "role", ["commander", "system_admin", "security_admin", "emergency_officer", "enterprise_admin"]
)
@pytest.mark.parametrize(("url_name", "action"), PAGES, ids=[name for name, _ in PAGES])
def test_others_are_refused_and_the_attempt_recorded(request, api_client, role: str, url_name: str, action: str):
    user = request.getfixturevalue(role)
    response = api_client(user).get(reverse(url_name))
    assert response.status_code == 403
    denied = AuditRecord.objects.get(action=action, outcome="denied")
    assert (denied.actor_username, denied.detail["path"]) == (role, reverse(url_name))
    assert not AuditRecord.objects.filter(action="audit.record.export", outcome="ok").exists()


@pytest.mark.parametrize("url_name", ["audit:list", "audit:verify", "audit:export"])
def test_anonymous_people_are_sent_to_sign_in(api_client, url_name: str) -> None:
    response = api_client(None).get(reverse(url_name))
    assert response.status_code == 302


class TestSearch:
    def test_newest_first_50_a_page(self, api_client, audit_admin, make_records) -> None:
        make_records(60)
        client = api_client(audit_admin)
        response = client.get(reverse("audit:list"))
        html = assert_csp_clean(response)
        rows = response.context["page"].object_list
        assert len(rows) == 50
        assert rows[0].pk > rows[1].pk
        assert "page 1 of 2" in html
        second = client.get(reverse("audit:list"), {"page": 2})
        assert len(second.context["page"].object_list) == AuditRecord.objects.count() - 50

    def test_filters(self, api_client, audit_admin, commander, enterprise) -> None:
        audit.record(actor=commander, action="enterprises.enterprise.update", target=enterprise)
        audit.record(actor=None, username="intruder", action="accounts.user.sign_in", outcome="failed")
        audit.record(actor=None, action="test.thing.op")
        client = api_client(audit_admin)

        def found(**query: str) -> list[str]:
            response = client.get(reverse("audit:list"), query)
            assert response.status_code == 200
            return [row.action for row in response.context["page"].object_list]

        assert found(person="comm") == ["enterprises.enterprise.update"]
        assert found(action="enterprises.") == ["enterprises.enterprise.update"]
        assert "enterprises.enterprise.update" in found(target=str(enterprise.pk))
        assert found(target="enterprises.enterprise") == ["enterprises.enterprise.update"]
        assert found(outcome="failed") == ["accounts.user.sign_in"]
        today = timezone.localdate()
        assert "test.thing.op" in found(since=today.isoformat(), until=today.isoformat())
        assert found(until=(today - timedelta(days=1)).isoformat()) == []

    def test_an_htmx_search_gets_the_results_fragment(self, api_client, audit_admin, make_records) -> None:
        make_records(2)
        response = api_client(audit_admin).get(reverse("audit:list"), HTTP_HX_REQUEST="true")
        assert response.templates[0].name == "audit/_record_table.html"

    def test_a_page_costs_a_fixed_number_of_queries(
        self, api_client, audit_admin, make_records, django_assert_max_num_queries
    ) -> None:
        make_records(60)
        client = api_client(audit_admin)
        client.get(reverse("audit:list"))  # warm the session
        with django_assert_max_num_queries(12):
            client.get(reverse("audit:list"))

    def test_the_page_is_in_chinese_by_default(self, audit_admin, make_records) -> None:
        from django.test import Client

        make_records(1)
        client = Client()
        client.force_login(audit_admin)
        assert client.get(reverse("audit:list")).status_code == 200


class TestVerifyPage:
    def test_shows_an_intact_trail_and_records_the_run(self, api_client, audit_admin, make_records) -> None:
        make_records(3)
        client = api_client(audit_admin)
        assert_csp_clean(client.get(reverse("audit:verify")))
        response = client.post(reverse("audit:verify"))
        html = assert_csp_clean(response)
        assert 'data-ok="true"' in html
        assert "records verified" in html
        run = AuditRecord.objects.get(action="audit.chain.verify")
        assert (run.actor_username, run.outcome, run.detail["ok"]) == ("audit_admin", "ok", True)

    def test_names_the_changed_record(self, api_client, audit_admin, make_records) -> None:
        records = make_records(3)
        with triggers_off():
            raw("UPDATE audit_auditrecord SET action = 'forged' WHERE id = %s", [records[1].pk])
        html = api_client(audit_admin).post(reverse("audit:verify")).content.decode()
        assert 'data-ok="false"' in html
        assert f"Record #{records[1].pk} (forged" in html
        assert AuditRecord.objects.get(action="audit.chain.verify").outcome == "failed"


class TestExport:
    def test_csv_of_the_search_masked_and_recorded(self, api_client, audit_admin, commander) -> None:
        audit.record(actor=commander, action="test.person.call", target="联系人 张三 13812345678")
        audit.record(actor=commander, action="other.thing.op")
        response = api_client(audit_admin).get(reverse("audit:export"), {"action": "test."})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        content = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(content)))
        assert [row["action"] for row in rows] == ["test.person.call"]
        assert rows[0]["target_repr"] == "联系人 张三 138****5678"
        assert "13812345678" not in content
        export = AuditRecord.objects.get(action="audit.record.export")
        assert export.actor_username == "audit_admin"
        assert export.detail == {"filters": {"action": "test."}, "rows": 1}

    def test_formula_cells_are_defused(self, api_client, audit_admin) -> None:
        audit.record(actor=None, username="=HYPERLINK(1)", action="test.thing.op")
        content = b"".join(api_client(audit_admin).get(reverse("audit:export")).streaming_content).decode("utf-8-sig")
        assert "'=HYPERLINK(1)" in content
