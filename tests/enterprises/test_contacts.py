"""Responsible persons: confidential personal information, stored encrypted, read in clear only by the owner
(emergency management) and the enterprise, by others only under a grant — field by field, each read audited."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.utils import timezone

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import NotFound, PermissionDenied, ValidationFailed
from ftzsafety.enterprises import selectors, services
from ftzsafety.enterprises.models import EnterpriseContact
from ftzsafety.security import services as security_services
from tests.accounts.factories import UserFactory, department

pytestmark = pytest.mark.django_db

RESIDENT_ID = "11010519491231002X"
PHONE = "13812345678"


@pytest.fixture
def contacts(enterprise, zone_admin_org):
    department("emergency")
    services.contact_set(
        actor=None,
        uscc=enterprise.uscc,
        role="legal_representative",
        name="张伟",
        resident_id=RESIDENT_ID,
        phone=PHONE,
    )
    services.contact_set(actor=None, uscc=enterprise.uscc, role="safety_manager", name="李娜", phone="13900001111")
    return enterprise


def _by_role(view):
    return {item["role"]: item for item in view.items}


class TestContactSet:
    def test_values_are_stored_encrypted(self, contacts):
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, resident_id, phone FROM enterprises_enterprisecontact")
            raw = " ".join(str(v) for row in cursor.fetchall() for v in row)
        for clear in ("张伟", RESIDENT_ID, PHONE, "13900001111"):
            assert clear not in raw
        contact = EnterpriseContact.objects.get(role="legal_representative")
        assert (contact.name, contact.resident_id, contact.phone) == ("张伟", RESIDENT_ID, PHONE)
        assert contact.classification == "confidential"
        assert contact.owner.department_code == "emergency"

    def test_the_audit_trail_holds_no_personal_data(self, contacts):
        records = AuditRecord.objects.filter(action="enterprises.contact.set")
        assert records.count() == 2
        text = json.dumps([[r.before, r.after, r.detail, r.target_repr] for r in records], ensure_ascii=False)
        for clear in ("张伟", RESIDENT_ID, PHONE):
            assert clear not in text

    @pytest.mark.parametrize(
        ("field", "value"),
        [("resident_id", "110105194912310021"), ("resident_id", "1101051949123"), ("phone", "12345"), ("name", "")],
    )
    def test_bad_values_are_refused_and_nothing_is_stored(self, enterprise_admin, enterprise, field, value):
        department("emergency")
        values = {"name": "王强", "resident_id": RESIDENT_ID, "phone": PHONE, field: value}
        with pytest.raises(ValidationFailed) as exc:
            services.contact_set(actor=enterprise_admin, uscc=enterprise.uscc, role="principal", **values)
        assert field in exc.value.fields
        assert not EnterpriseContact.objects.exists()

    def test_an_enterprise_cannot_set_another_enterprises_persons(self, enterprise_admin, other_enterprise):
        with pytest.raises(NotFound):
            services.contact_set(actor=enterprise_admin, uscc=other_enterprise.uscc, role="principal", name="王强")
        assert not EnterpriseContact.objects.exists()

    def test_staff_may_not_change_them(self, enterprise_staff, contacts):
        with pytest.raises(PermissionDenied):
            services.contact_set(actor=enterprise_staff, uscc=contacts.uscc, role="principal", name="王强")
        assert AuditRecord.objects.filter(action="enterprises.contact.set", outcome="denied").exists()


class TestContactList:
    def test_the_owner_department_reads_in_clear_and_each_read_is_audited(self, emergency_officer, contacts):
        view = selectors.contact_list(actor=emergency_officer, uscc=contacts.uscc)
        assert view.hidden == 0
        assert _by_role(view)["legal_representative"]["resident_id"] == RESIDENT_ID
        assert (
            AuditRecord.objects.filter(action="security.confidential.read", actor_id=emergency_officer.pk).count() == 2
        )

    def test_the_enterprise_reads_its_own(self, enterprise_staff, contacts):
        assert (
            _by_role(selectors.contact_list(actor=enterprise_staff, uscc=contacts.uscc))["safety_manager"]["phone"]
            == "13900001111"
        )

    @pytest.mark.parametrize("who", ["customs_reviewer", "association_staff"])
    def test_others_see_nothing_but_a_count(self, request, who, contacts):
        view = selectors.contact_list(actor=request.getfixturevalue(who), uscc=contacts.uscc)
        assert view.items == []
        assert view.hidden == 2

    def test_platform_administrators_see_no_business_data(self, audit_admin, contacts):
        with pytest.raises(NotFound):
            selectors.contact_list(actor=audit_admin, uscc=contacts.uscc)

    def test_a_grant_opens_only_the_granted_fields(self, customs_reviewer, emergency_head, security_admin, contacts):
        customs_head = UserFactory(
            username="customs_head", organisation=department("customs"), roles=["department_head"]
        )
        contact = EnterpriseContact.objects.get(role="legal_representative")
        access = security_services.access_request_submit(
            actor=customs_reviewer,
            dataset="enterprises.enterprisecontact",
            object_id=contact.pk,
            fields=["name", "phone"],
            purpose="危险货物联合查验前核实法定代表人",
            valid_until=timezone.localdate() + dt.timedelta(days=10),
        )
        for approver in (customs_head, emergency_head, security_admin):
            security_services.access_request_approve(actor=approver, request_id=access.pk)
        view = selectors.contact_list(actor=customs_reviewer, uscc=contacts.uscc)
        item = _by_role(view)["legal_representative"]
        assert view.hidden == 1
        assert item["phone"] == PHONE
        assert item["resident_id"] == "110105********002X"
        read = AuditRecord.objects.get(action="security.confidential.read", actor_id=customs_reviewer.pk)
        assert read.detail["grant_id"] == access.grant.pk


class TestContactApi:
    def test_masked_list_and_put(self, api_client, enterprise_admin, customs_reviewer, contacts):
        body = {"name": "王强", "resident_id": "440524188001010014", "phone": "020-12345678"}
        response = api_client(enterprise_admin).put(
            f"/api/v1/enterprises/{contacts.uscc}/contacts/principal", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 200, response.content
        mine = api_client(enterprise_admin).get(f"/api/v1/enterprises/{contacts.uscc}/contacts").json()
        assert {i["role"] for i in mine["items"]} == {"legal_representative", "safety_manager", "principal"}
        theirs = api_client(customs_reviewer).get(f"/api/v1/enterprises/{contacts.uscc}/contacts").json()
        assert theirs == {"items": [], "hidden": 3, "dataset": "enterprises.enterprisecontact"}

    def test_a_bad_id_number_is_a_422_naming_the_field(self, api_client, enterprise_admin, contacts):
        response = api_client(enterprise_admin).put(
            f"/api/v1/enterprises/{contacts.uscc}/contacts/principal",
            json.dumps({"name": "王强", "resident_id": "110105194912310021"}),
            content_type="application/json",
        )
        assert response.status_code == 422
        assert "resident_id" in response.json()["detail"]["fields"]
        assert not EnterpriseContact.objects.filter(role="principal").exists()
