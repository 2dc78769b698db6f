"""Who sees which document, and the real access-request flow for a confidential one: the emergency plan is filed with
emergency management, whose head approves sharing it (the owner's step), then the security administrator
(GB/T 22239-2019 §8.1.4.2)."""

import datetime as dt

import pytest
from django.utils import timezone

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import NotFound
from ftzsafety.documents import selectors, services
from ftzsafety.enterprises.profile import enterprise_profile
from ftzsafety.security import services as security_services
from tests.accounts.factories import UserFactory, department
from tests.documents.factories import file_document


@pytest.fixture
def plan(enterprise_admin, enterprise):
    department("emergency")  # the plan is filed with emergency management, which holds it
    return file_document(enterprise_admin, enterprise, kind="emergency_plan", title="生产安全事故应急预案",
                         number="", valid_until=None)  # fmt: skip


@pytest.mark.parametrize(
    ("who", "kinds"),
    [
        ("enterprise_admin", {"emergency_plan", "safety_licence", "business_licence"}),
        ("enterprise_staff", {"emergency_plan", "safety_licence", "business_licence"}),
        ("customs_reviewer", {"safety_licence", "business_licence"}),
        ("emergency_officer", {"emergency_plan", "safety_licence", "business_licence"}),
        ("association_staff", {"business_licence"}),
        ("agency_staff", {"business_licence"}),
        ("audit_admin", set()),
    ],
)
def test_visibility_table(request, who, kinds, enterprise_admin, enterprise, plan):
    file_document(enterprise_admin, enterprise)
    file_document(enterprise_admin, enterprise, kind="business_licence", valid_until=None)
    actor = request.getfixturevalue(who)
    assert {d.kind for d in selectors.document_list(actor=actor)} == kinds


def test_other_enterprise_sees_nothing(other_enterprise, plan):
    outsider = UserFactory(username="outsider", organisation=other_enterprise.organisation, roles=["enterprise_admin"])
    assert not selectors.document_list(actor=outsider).exists()
    with pytest.raises(NotFound):
        selectors.document_get(actor=outsider, document_id=plan.pk)


def test_confidential_plan_after_the_approval_chain(customs_reviewer, emergency_head, security_admin, enterprise, plan):
    customs_head = UserFactory(username="customs_head", organisation=department("customs"), roles=["department_head"])
    before = enterprise_profile(actor=customs_reviewer, uscc=enterprise.uscc)["documents"]
    assert (before["count"], before["hidden"]) == (0, 1)
    access = security_services.access_request_submit(
        actor=customs_reviewer,
        dataset="documents.document",
        object_id=plan.pk,
        purpose="危险货物联合查验前核对企业应急预案",
        valid_until=timezone.localdate() + dt.timedelta(days=10),
    )
    assert plan.owner.department_code == "emergency"
    for approver in (customs_head, emergency_head, security_admin):
        security_services.access_request_approve(actor=approver, request_id=access.pk)
    after = enterprise_profile(actor=customs_reviewer, uscc=enterprise.uscc)["documents"]
    assert (after["count"], after["hidden"]) == (1, 0)
    assert after["items"][0]["title"] == "生产安全事故应急预案"
    _doc, data = services.document_download(actor=customs_reviewer, document_id=plan.pk)
    assert data.startswith(b"%PDF-")
    reads = AuditRecord.objects.filter(action="security.confidential.read", actor_id=customs_reviewer.pk)
    assert reads.exists()
    assert {r.detail["grant_id"] for r in reads} == {access.grant.pk}
