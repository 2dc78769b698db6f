"""The enterprise profile (一企一档): GET /api/v1/enterprises/{uscc}/profile and the profile page.

Who sees what: a customs reviewer (customs data in clear, confidential emergency data only after a grant), an
emergency officer, an association user (public only), the enterprise itself (its own file), an outsider (404).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ftzsafety.audit.models import AuditRecord
from ftzsafety.enterprises import services as enterprise_services
from ftzsafety.enterprises.profile import (
    PROFILE_PANELS,
    ProfilePanel,
    enterprise_profile,
    profile_panels,
    register_profile_panel,
)
from ftzsafety.exchange.models import (
    CustomsDeclaration,
    CustomsGoodsLine,
    DangerousGoodsWaybill,
    PortOperation,
    SafetyLicence,
    StorageInventory,
)
from ftzsafety.security.masking import mask_commercial_figure
from tests.accounts.factories import UserFactory, department
from tests.documents.factories import file_document, grant

DAY = dt.date(2026, 11, 2)
LICENCE_TYPE = "hazchem_operation"


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def add_declaration(enterprise, number: str, day: dt.date = DAY, **extra):
    decl = CustomsDeclaration.objects.create(
        owner=department("customs"),
        enterprise=enterprise,
        enterprise_code=enterprise.uscc,
        enterprise_name=enterprise.name_zh,
        resolution="linked",
        declaration_no=number,
        declared_on=day,
        direction="import",
        port="天津新港",
        country="KR",
        **extra,
    )
    CustomsGoodsLine.objects.create(
        declaration=decl, line_no=1, hs_code="29012200", goods_name="丙烯", un_number="UN1077",
        quantity=Decimal("20000"), unit="kg",
    )  # fmt: skip
    return decl


@pytest.fixture
def file_data(enterprise, enterprise_admin):
    """One row in each department dataset, the enterprise's persons, and three documents."""
    add_declaration(enterprise, "020220261000000001")
    DangerousGoodsWaybill.objects.create(
        owner=department("transport"), enterprise=enterprise, enterprise_code=enterprise.uscc,
        enterprise_name=enterprise.name_zh, resolution="linked", waybill_no="WB202611030001",
        carrier="滨海危货运输有限公司", vehicle="津A12345", un_number="UN1077", quantity=Decimal("18.5"), unit="t",
        origin="天津港", destination="滨海化工园区", departs_on=DAY + dt.timedelta(days=3),
    )  # fmt: skip
    PortOperation.objects.create(
        owner=department("maritime"), enterprise=enterprise, enterprise_code=enterprise.uscc,
        enterprise_name=enterprise.name_zh, resolution="linked", operation_no="OP-2026-1102-01", kind="unloading",
        vessel="HANJIN BUSAN", berth="南疆3号", un_number="UN1077", quantity=Decimal("20"), unit="t",
        started_at=_at(DAY + dt.timedelta(days=1)),
    )  # fmt: skip
    # Storage of a highly toxic chemical: confidential, owned by emergency management.
    StorageInventory.objects.create(
        owner=department("emergency"), classification="confidential", enterprise=enterprise,
        enterprise_code=enterprise.uscc, enterprise_name=enterprise.name_zh, resolution="linked", warehouse="3号甲类库",
        un_number="UN1077", quantity=Decimal("19.2"), unit="t", as_of=_at(DAY + dt.timedelta(days=2)),
    )  # fmt: skip
    enterprise_services.contact_set(
        actor=None, uscc=enterprise.uscc, role="safety_manager", name="王建国", resident_id="", phone="13812345678"
    )
    docs = {
        "licence": file_document(enterprise_admin, enterprise),
        "business": file_document(
            enterprise_admin,
            enterprise,
            kind="business_licence",
            title="营业执照",
            number=enterprise.uscc,
            valid_until=None,
            name="营业执照.pdf",
        ),
        "plan": file_document(
            enterprise_admin,
            enterprise,
            kind="emergency_plan",
            title="生产安全事故应急预案",
            number="",
            valid_until=None,
            name="应急预案.pdf",
        ),
    }
    return docs


def get_profile(api_client, user, enterprise):
    response = api_client(user).get(f"/api/v1/enterprises/{enterprise.uscc}/profile")
    assert response.status_code == 200, response.content
    return response.json()


def section(profile, slug):
    return next(s for s in profile["sections"] if s["dataset"] == slug)


class TestCustomsReviewer:
    def test_customs_data_in_clear_other_commercial_figures_masked(
        self, api_client, customs_reviewer, enterprise, file_data
    ):
        profile = get_profile(api_client, customs_reviewer, enterprise)
        assert profile["enterprise"]["uscc"] == enterprise.uscc
        customs = section(profile, "customs-declarations")
        assert customs["count"] == 1
        assert customs["rows"][0]["declaration_no"] == "020220261000000001"
        assert customs["rows"][0]["goods"][0]["un_number"] == "UN1077"
        waybills = section(profile, "dangerous-goods-waybills")
        assert waybills["count"] == 1
        assert waybills["rows"][0]["quantity"] == mask_commercial_figure(Decimal("18.5"))  # transport's figure
        assert waybills["rows"][0]["waybill_no"] == "WB202611030001"

    def test_confidential_emergency_data_only_after_grant(self, api_client, customs_reviewer, enterprise, file_data):
        before = get_profile(api_client, customs_reviewer, enterprise)
        storage = section(before, "storage-inventories")
        assert (storage["count"], storage["hidden"], storage["rows"]) == (0, 1, [])
        assert storage["request_access_url"] == "/security/requests/new/?dataset=exchange.storageinventory"
        assert before["contacts"]["items"] == []
        assert before["contacts"]["hidden"] == 1
        assert before["contacts"]["request_access_url"].endswith("?dataset=enterprises.enterprisecontact")
        assert not AuditRecord.objects.filter(
            action="security.confidential.read", actor_id=customs_reviewer.pk
        ).exists()

        issued = grant(customs_reviewer, StorageInventory, department("emergency"), fields=["quantity"])
        after = get_profile(api_client, customs_reviewer, enterprise)
        storage = section(after, "storage-inventories")
        assert (storage["count"], storage["hidden"], storage["request_access_url"]) == (1, 0, "")
        assert storage["rows"][0]["warehouse"] == "3号甲类库"
        assert storage["rows"][0]["quantity"] == "19.200"  # the grant clears the field
        read = AuditRecord.objects.get(action="security.confidential.read", actor_id=customs_reviewer.pk)
        assert read.detail["grant_id"] == issued.pk
        assert read.target_type == "exchange.storageinventory"

    def test_public_and_internal_documents_not_the_confidential_plan(
        self, api_client, customs_reviewer, enterprise, file_data
    ):
        documents = get_profile(api_client, customs_reviewer, enterprise)["documents"]
        assert sorted(d["kind"] for d in documents["items"]) == ["business_licence", "safety_licence"]
        assert documents["hidden"] == 1
        assert documents["request_access_url"].endswith("?dataset=documents.document")
        assert documents["can_upload"] is False


class TestEmergencyOfficer:
    def test_own_storage_in_clear_customs_code_masked(self, api_client, emergency_officer, enterprise, file_data):
        profile = get_profile(api_client, emergency_officer, enterprise)
        storage = section(profile, "storage-inventories")
        assert (storage["count"], storage["hidden"]) == (1, 0)
        assert storage["rows"][0]["quantity"] == "19.200"
        customs = section(profile, "customs-declarations")
        assert customs["count"] == 1
        assert customs["rows"][0]["declaration_no"] == "020220261000000001"
        assert profile["contacts"]["items"][0]["phone"] == "13812345678"  # emergency owns the persons' records
        # Reads of its own confidential rows are audited without a grant.
        assert AuditRecord.objects.filter(
            action="security.confidential.read", actor_id=emergency_officer.pk, target_type="exchange.storageinventory"
        ).exists()


class TestAssociationUser:
    def test_public_only(self, api_client, association_staff, enterprise, file_data):
        profile = get_profile(api_client, association_staff, enterprise)
        for entry in profile["sections"]:
            assert entry["count"] == 0, entry["dataset"]
            assert entry["rows"] == []
            assert entry["hidden"] == 0  # no hint of confidential rows to someone who cannot ask
            assert entry["restricted"] is True
        assert [d["kind"] for d in profile["documents"]["items"]] == ["business_licence"]
        assert profile["documents"]["hidden"] == 0
        assert profile["contacts"]["items"] == []
        assert all(e["classification"] == "public" for e in profile["timeline"])
        assert profile["enterprise"]["name_zh"] == enterprise.name_zh


class TestEnterpriseItself:
    def test_whole_file_in_clear(self, api_client, enterprise_admin, enterprise, file_data):
        profile = get_profile(api_client, enterprise_admin, enterprise)
        counts = {s["dataset"]: (s["count"], s["hidden"]) for s in profile["sections"]}
        assert counts["customs-declarations"] == (1, 0)
        assert counts["dangerous-goods-waybills"] == (1, 0)
        assert counts["port-operations"] == (1, 0)
        assert counts["storage-inventories"] == (1, 0)
        assert section(profile, "dangerous-goods-waybills")["rows"][0]["quantity"] == "18.500"
        assert sorted(d["kind"] for d in profile["documents"]["items"]) == [
            "business_licence", "emergency_plan", "safety_licence",
        ]  # fmt: skip
        assert profile["documents"]["can_upload"] is True

    def test_timeline_merges_departments_newest_first(self, api_client, enterprise_admin, enterprise, file_data):
        timeline = get_profile(api_client, enterprise_admin, enterprise)["timeline"]
        sources = [e["source"] for e in timeline]
        # Documents were filed today; then waybill (Nov 5), storage (Nov 4), port (Nov 3), customs (Nov 2).
        assert sources[:3] == ["documents", "documents", "documents"]
        assert sources[3:] == [
            "dangerous-goods-waybills", "storage-inventories", "port-operations", "customs-declarations",
        ]  # fmt: skip
        dates = [e["at"][:10] for e in timeline[3:]]
        assert dates == ["2026-11-05", "2026-11-04", "2026-11-03", "2026-11-02"]


class TestOutsider:
    def test_other_enterprise_gets_404_and_nothing(self, api_client, other_enterprise, enterprise, file_data):
        outsider = UserFactory(
            username="outsider", organisation=other_enterprise.organisation, roles=["enterprise_admin"]
        )
        response = api_client(outsider).get(f"/api/v1/enterprises/{enterprise.uscc}/profile")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        page = api_client(outsider).get(f"/enterprises/{enterprise.uscc}/")
        assert page.status_code == 404
        assert enterprise.name_zh.encode() not in page.content

    def test_anonymous_is_401(self, api_client, enterprise):
        assert api_client(None).get(f"/api/v1/enterprises/{enterprise.uscc}/profile").status_code == 401


class TestQueries:
    def _count(self, api_client, user, enterprise) -> int:
        client = api_client(user)
        client.get(f"/api/v1/enterprises/{enterprise.uscc}/profile")  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/enterprises/{enterprise.uscc}/profile").status_code == 200
        return len(ctx.captured_queries)

    def test_fixed_number_of_queries_whatever_the_rows(self, api_client, customs_reviewer, enterprise, file_data):
        few = self._count(api_client, customs_reviewer, enterprise)
        for n in range(2, 40):
            add_declaration(enterprise, f"0202202610000000{n:02d}", day=DAY - dt.timedelta(days=n))
        many = self._count(api_client, customs_reviewer, enterprise)
        assert many == few

    def test_query_budget(self, api_client, customs_reviewer, enterprise, file_data, django_assert_max_num_queries):
        from ftzsafety.exchange.datasets import DATASETS

        client = api_client(customs_reviewer)
        client.get(f"/api/v1/enterprises/{enterprise.uscc}/profile")
        # Per dataset one page of rows (its counts are window aggregates of the same statement) and, for datasets
        # with child lines, one prefetch; once: sign-in (session, user, roles, organisation), the enterprise (once:
        # the persons reuse it), the viewer's grants, the confidential totals (one UNION ALL), the documents, the
        # persons (2 + grant), the chain (at most 6), permissions (2) and the session save (3). Tight on purpose:
        # a regression (a query per section, per row, a second enterprise lookup) fails here.
        children = sum(1 for spec in DATASETS.values() if spec.child)
        with django_assert_max_num_queries(len(DATASETS) + children + 21):
            client.get(f"/api/v1/enterprises/{enterprise.uscc}/profile")


class TestPanels:
    def test_registered_panel_listed_when_visible(self, customs_reviewer, association_staff, enterprise):
        saved = list(PROFILE_PANELS)
        try:
            register_profile_panel(
                ProfilePanel(
                    key="audit-test", title="Test panel", url_name="enterprises:edit",
                    visible=lambda actor, ent: actor.is_government, order=5,
                )
            )  # fmt: skip
            register_profile_panel(ProfilePanel(key="broken", title="Broken", url_name="no:such-url"))
            listed = profile_panels(customs_reviewer, enterprise)
            assert {
                "key": "audit-test",
                "title": "Test panel",
                "url": f"/enterprises/{enterprise.uscc}/edit/",
            } in listed
            assert all(p["key"] != "broken" for p in listed)
            assert all(p["key"] != "audit-test" for p in profile_panels(association_staff, enterprise))
            profile = enterprise_profile(actor=customs_reviewer, uscc=enterprise.uscc)
            assert any(p["key"] == "audit-test" for p in profile["panels"])
            client = Client(HTTP_ACCEPT_LANGUAGE="en")
            client.force_login(customs_reviewer)
            html = client.get(f"/enterprises/{enterprise.uscc}/").content.decode()
            assert f'data-testid="profile-panel-audit-test" hx-get="/enterprises/{enterprise.uscc}/edit/"' in html
        finally:
            PROFILE_PANELS[:] = saved


class TestPage:
    def test_customs_reviewer_page(self, api_client, customs_reviewer, enterprise, file_data):
        page = api_client(customs_reviewer).get(f"/enterprises/{enterprise.uscc}/")
        html = page.content.decode()
        assert page.status_code == 200
        assert 'data-testid="profile-section-customs-declarations"' in html
        assert "020220261000000001" in html
        assert 'data-testid="request-access-storage-inventories"' in html
        assert "/security/requests/new/?dataset=exchange.storageinventory" in html
        assert 'data-testid="profile-document-safety_licence"' in html
        assert 'data-testid="profile-document-emergency_plan"' not in html
        assert 'data-testid="enterprise-contacts"' in html  # the detail page's parts stay
        assert 'data-testid="document-upload"' not in html
        assert "<td>Import</td>" in html  # choice codes as their labels
        assert "2026-11-03 09:00" in html  # the port operation's start, in the zone's time

    def test_association_page(self, api_client, association_staff, enterprise, file_data):
        html = api_client(association_staff).get(f"/enterprises/{enterprise.uscc}/").content.decode()
        assert "020220261000000001" not in html
        assert 'data-testid="section-restricted-customs-declarations"' in html
        assert 'data-testid="profile-document-business_licence"' in html
        assert 'data-testid="profile-document-safety_licence"' not in html
        assert "request-access" not in html

    def test_enterprise_page_offers_upload(self, api_client, enterprise_admin, enterprise, file_data):
        html = api_client(enterprise_admin).get(f"/enterprises/{enterprise.uscc}/").content.decode()
        assert 'data-testid="document-upload"' in html
        assert 'data-testid="profile-document-emergency_plan"' in html


class TestChain:
    def test_chain_links_departments_without_ungranted_rows(self, api_client, customs_reviewer, enterprise, file_data):
        chain = get_profile(api_client, customs_reviewer, enterprise)["chain"]
        assert chain["count"] == 1
        link = chain["items"][0]
        assert link["un_number"] == "UN1077"
        assert link["declaration"]["declaration_no"] == "020220261000000001"
        assert [op["operation_no"] for op in link["port_operations"]] == ["OP-2026-1102-01"]
        assert [w["waybill_no"] for w in link["waybills"]] == ["WB202611030001"]
        assert link["storage"] == []  # the only inventory is confidential and not granted
        assert link["complete"] is False

    def test_enterprise_sees_complete_chain(self, api_client, enterprise_admin, enterprise, file_data):
        chain = get_profile(api_client, enterprise_admin, enterprise)["chain"]
        assert chain["complete"] == 1
        assert chain["items"][0]["storage"][0]["warehouse"] == "3号甲类库"

    def test_chain_on_page(self, api_client, enterprise_admin, enterprise, file_data):
        html = api_client(enterprise_admin).get(f"/enterprises/{enterprise.uscc}/").content.decode()
        assert 'data-testid="chain-link"' in html
        assert "OP-2026-1102-01" in html


class TestSafetyLicences:
    """The emergency department's licence records: confidential, naming people (个人信息保护法 第二十八条)."""

    @pytest.fixture
    def licence(self, enterprise):
        return SafetyLicence.objects.create(
            owner=department("emergency"), enterprise=enterprise, enterprise_code=enterprise.uscc,
            enterprise_name=enterprise.name_zh, resolution="linked", licence_type=LICENCE_TYPE,
            licence_no="津WH安许证字〔2025〕0318", holder_name="王建国", scope="危险化学品经营（不带储存）",
            valid_from=dt.date(2025, 3, 1), valid_until=dt.date(2028, 2, 28),
        )  # fmt: skip

    def test_customs_reviewer_only_after_grant_name_masked_unless_granted(
        self, api_client, customs_reviewer, enterprise, licence
    ):
        before = section(get_profile(api_client, customs_reviewer, enterprise), "safety-licences")
        assert (before["count"], before["hidden"], before["rows"]) == (0, 1, [])
        assert before["request_access_url"].endswith("?dataset=exchange.safetylicence")
        grant(customs_reviewer, SafetyLicence, department("emergency"))
        rows = section(get_profile(api_client, customs_reviewer, enterprise), "safety-licences")["rows"]
        assert rows[0]["licence_no"] == "津WH安许证字〔2025〕0318"
        assert rows[0]["holder_name"] == "王**"
        grant(customs_reviewer, SafetyLicence, department("emergency"), fields=["holder_name"])
        rows = section(get_profile(api_client, customs_reviewer, enterprise), "safety-licences")["rows"]
        assert rows[0]["holder_name"] == "王建国"

    def test_emergency_officer_reads_own_in_clear(self, api_client, emergency_officer, enterprise, licence):
        rows = section(get_profile(api_client, emergency_officer, enterprise), "safety-licences")["rows"]
        assert rows[0]["holder_name"] == "王建国"

    def test_association_nothing(self, api_client, association_staff, enterprise, licence):
        entry = section(get_profile(api_client, association_staff, enterprise), "safety-licences")
        assert (entry["count"], entry["hidden"], entry["rows"], entry["request_access_url"]) == (0, 0, [], "")


def test_every_dataset_can_be_shown():
    """The profile reads each dataset's declared fields and dates its rows: every spec must fit its model."""
    from django.db.models import DateField

    from ftzsafety.enterprises.profile import _date_field
    from ftzsafety.exchange.datasets import DATASETS

    for spec in DATASETS.values():
        names = {f.name for f in spec.model._meta.concrete_fields}
        assert {f.name for f in spec.fields} <= names, spec.slug
        assert {"enterprise", "classification", "owner"} <= names, spec.slug
        assert isinstance(spec.model._meta.get_field(_date_field(spec.model)), DateField), spec.slug
