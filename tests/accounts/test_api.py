"""GET /api/v1/me and GET /api/v1/organisations."""

import pytest

from ftzsafety.accounts.choices import OrganisationKind
from tests.accounts.factories import OrganisationFactory, department

ERROR_KEYS = {"code", "message", "detail"}


class TestMe:
    def test_government_officer(self, api_client, emergency_officer):
        response = api_client(emergency_officer).get("/api/v1/me")
        assert response.status_code == 200
        assert response.json() == {
            "username": "emergency_officer",
            "full_name": emergency_officer.full_name,
            "organisation": {
                "code": "dept-emergency",
                "kind": "department",
                "department_code": "emergency",
                "name_zh": "应急管理",
                "name_en": "Emergency management",
                "is_demo": False,
            },
            "roles": ["officer"],
            "is_government": True,
            "is_enterprise_user": False,
            "is_platform_admin": False,
            "enterprise_uscc": None,
        }

    def test_enterprise_user_sees_its_credit_code(self, api_client, enterprise_staff, enterprise):
        data = api_client(enterprise_staff).get("/api/v1/me").json()
        assert data["enterprise_uscc"] == enterprise.uscc
        assert data["is_enterprise_user"] is True
        assert data["is_government"] is False
        assert data["organisation"]["code"] == "ent-binhai-chem"

    def test_platform_admin(self, api_client, security_admin):
        data = api_client(security_admin).get("/api/v1/me").json()
        assert (data["roles"], data["is_platform_admin"], data["is_government"]) == (["security_admin"], True, False)

    def test_enterprise_organisation_without_a_registry_entry(self, api_client, db):
        from tests.accounts.factories import UserFactory

        org = OrganisationFactory(kind=OrganisationKind.ENTERPRISE, code="ent-unregistered")
        user = UserFactory(organisation=org, roles=["enterprise_admin"])
        data = api_client(user).get("/api/v1/me").json()
        assert data["enterprise_uscc"] is None

    def test_bearer_token(self, bearer_client, commander):
        data = bearer_client(commander).get("/api/v1/me").json()
        assert data["username"] == "commander"
        assert data["roles"] == ["commander"]

    def test_401_without_credentials(self, api_client):
        response = api_client().get("/api/v1/me")
        assert response.status_code == 401
        assert set(response.json()) == ERROR_KEYS


@pytest.fixture
def zone(enterprise, other_enterprise, zone_admin_org):
    """The zone administration, two departments, an association and two enterprises."""
    department("emergency")
    department("customs")
    OrganisationFactory(kind=OrganisationKind.ASSOCIATION, code="assoc-logistics", name_zh="滨海物流协会")


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


class TestOrganisations:
    def test_government_sees_every_organisation(self, api_client, emergency_officer, zone):
        data = api_client(emergency_officer).get("/api/v1/organisations").json()
        assert set(data) == {"items", "count"}
        assert {"ent-binhai-chem", "ent-other", "dept-customs", "assoc-logistics"} <= {i["code"] for i in data["items"]}
        assert data["count"] == len(data["items"]) == 6

    def test_enterprise_users_do_not_see_other_enterprises(self, api_client, enterprise_admin, zone):
        found = codes(api_client(enterprise_admin).get("/api/v1/organisations"))
        assert "ent-binhai-chem" in found
        assert "ent-other" not in found
        assert {"dept-zone_admin", "dept-emergency", "dept-customs", "assoc-logistics"} <= set(found)
        assert codes(api_client(enterprise_admin).get("/api/v1/organisations", {"q": "海港"})) == []
        assert codes(api_client(enterprise_admin).get("/api/v1/organisations", {"kind": "enterprise"})) == [
            "ent-binhai-chem"
        ]

    def test_associations_see_no_enterprise(self, api_client, association_staff, zone):
        found = codes(api_client(association_staff).get("/api/v1/organisations"))
        assert not [c for c in found if c.startswith("ent-")]
        assert "assoc-chem" in found

    def test_filters_and_paging(self, api_client, commander, zone):
        client = api_client(commander)
        assert codes(client.get("/api/v1/organisations", {"kind": "department"})) == ["dept-customs", "dept-emergency"]
        assert codes(client.get("/api/v1/organisations", {"q": "物流"})) == ["assoc-logistics", "ent-other"]
        assert codes(client.get("/api/v1/organisations", {"q": "CUSTOMS"})) == ["dept-customs"]
        page = client.get("/api/v1/organisations", {"limit": 2, "offset": 1}).json()
        assert (len(page["items"]), page["count"]) == (2, 6)
        assert client.get("/api/v1/organisations", {"limit": 0}).status_code == 422

    def test_401_without_credentials(self, api_client, zone):
        response = api_client().get("/api/v1/organisations")
        assert response.status_code == 401
        assert set(response.json()) == ERROR_KEYS
