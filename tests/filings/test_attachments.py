"""Downloading a filing's document: the owner and government people may; others get 404; the read is audited."""

import pytest
from django.test import Client

from ftzsafety.audit.models import AuditRecord
from ftzsafety.filings import services
from tests.filings.conftest import dg_form, sds_upload

pytestmark = pytest.mark.django_db


def test_download_is_scoped_and_audited(enterprise_admin, customs_reviewer, other_enterprise, destinations):
    from tests.accounts.factories import UserFactory

    filing = services.filing_create(actor=enterprise_admin, filing_type="dg_pre_arrival", form=dg_form())
    attachment = services.filing_attachment_add(
        actor=enterprise_admin, filing_id=filing.pk, upload=sds_upload("UN1203", "汽油"), kind="sds", un_number="UN1203"
    )
    for user, status in ((enterprise_admin, 200), (customs_reviewer, 200)):
        client = Client()
        client.force_login(user)
        response = client.get(f"/filings/attachments/{attachment.pk}/")
        assert response.status_code == status
        assert response.content.decode("utf-8").startswith("安全技术说明书")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response["Content-Disposition"]
    other = UserFactory(username="other_admin", organisation=other_enterprise.organisation, roles=["enterprise_admin"])
    client = Client()
    client.force_login(other)
    assert client.get(f"/filings/attachments/{attachment.pk}/").status_code == 404
    assert AuditRecord.objects.filter(action="filings.filingattachment.read").count() == 2
