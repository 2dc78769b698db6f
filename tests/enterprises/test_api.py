"""/api/v1/enterprises: authentication, error bodies, pagination, search and filters, detail and edit."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ftzsafety.audit.models import AuditRecord
from ftzsafety.enterprises.models import Enterprise
from tests.enterprises.factories import EnterpriseFactory, ZoneAreaFactory, make_uscc

URL = "/api/v1/enterprises"
ERROR_KEYS = {"code", "message", "detail"}


def post(client: Client, url: str, body: dict[str, Any]):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client: Client, url: str, body: dict[str, Any]):
    return client.patch(url, json.dumps(body), content_type="application/json")


def new_firm(**overrides: Any) -> dict[str, Any]:
    body = {
        "uscc": make_uscc(),
        "name_zh": "滨海锂电科技有限公司",
        "name_en": "Binhai Lithium Technology Co., Ltd.",
        "organisation_form": "limited_liability",
        "industry_section": "C",
        "industry_class": "3841",
        "area": "port",
        "latitude": 38.96,
        "longitude": 117.74,
    }
    body.update(overrides)
    return body


class TestAuthentication:
    @pytest.mark.parametrize(
        ("method", "url"),
        [("get", URL), ("get", f"{URL}/914403001922038216"), ("post", URL), ("patch", f"{URL}/914403001922038216")],
    )
    def test_401_without_credentials(self, api_client, enterprise, method, url):
        client = api_client()
        response = post(client, url, new_firm()) if method == "post" else getattr(client, method)(url)
        assert response.status_code == 401
        body = response.json()
        assert set(body) == ERROR_KEYS
        assert body["code"] == "not_authenticated"
        assert "Bearer" in body["message"]
        assert body["detail"] == {}
        assert not AuditRecord.objects.filter(action__startswith="enterprises.").exists()

    def test_bearer_token_works(self, bearer_client, emergency_officer, enterprise):
        response = bearer_client(emergency_officer).get(URL, {"q": "滨海化工"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert [e["uscc"] for e in response.json()["items"]] == [enterprise.uscc]

    def test_bearer_token_writes_as_its_user(self, bearer_client, commander, zone_admin_org):
        ZoneAreaFactory()
        body = new_firm()
        response = post(bearer_client(commander), URL, body)
        assert response.status_code == 201, response.content
        row = AuditRecord.objects.get(action="enterprises.enterprise.create")
        assert row.actor_username == "commander"

    @pytest.mark.parametrize(
        "header", ["Bearer ftz_not-a-real-token", "Bearer ", "Token ftz_x", "Basic Y29tbWFuZGVyOnBhc3M="]
    )
    def test_bad_authorisation_headers_are_401(self, db, header):
        response = Client(HTTP_AUTHORIZATION=header).get(URL)
        assert response.status_code == 401
        assert set(response.json()) == ERROR_KEYS


class TestBadCreditCode:
    """Issue 2, "Done when": POST with 914403001922038217 is refused naming the expected check character 6."""

    @pytest.mark.parametrize(
        ("uscc", "words"),
        [
            ("914403001922038217", ["“6”", "check character"]),
            ("9144030019220382", ["18", "16"]),
            ("9144030019220S8216", ["14", "“S”"]),
            ("91350100M000100Y4Z", ["“Z”", "“3”"]),
        ],
    )
    def test_422_names_field_problem_and_expected(self, api_client, commander, zone_admin_org, uscc, words):
        ZoneAreaFactory()
        response = post(api_client(commander), URL, new_firm(uscc=uscc))
        assert response.status_code == 422
        body = response.json()
        assert set(body) == ERROR_KEYS
        assert body["code"] == "validation_failed"
        assert body["message"].startswith("Unified social credit code")
        for word in words:
            assert word in body["message"]
        assert list(body["detail"]["fields"]) == ["uscc"]
        assert body["detail"]["fields"]["uscc"] == [body["message"]]
        assert not Enterprise.objects.filter(name_zh="滨海锂电科技有限公司").exists()

    def test_issue_example_with_only_a_name(self, api_client, commander, zone_admin_org):
        """The issue's own request: the code is the headline, the other missing fields are listed too."""
        response = post(api_client(commander), URL, {"uscc": "914403001922038217", "name_zh": "x"})
        assert response.status_code == 422
        body = response.json()
        assert "“6”" in body["message"]
        assert {"uscc", "organisation_form", "industry_section"} <= set(body["detail"]["fields"])

    def test_messages_follow_the_language(self, api_client, commander, zone_admin_org):
        """zh-hans is the default: without Accept-Language: en the message is not the English msgid
        (once the zh_Hans catalogue exists), but the expected character is named either way."""
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(commander)
        response = post(client, URL, {"uscc": "914403001922038217", "name_zh": "x"})
        assert response.status_code == 422
        assert "6" in response.json()["message"]

    def test_override_by_a_registry_keeper(self, api_client, commander, zone_admin_org):
        ZoneAreaFactory()
        response = post(api_client(commander), URL, new_firm(uscc="914403001922038217", override_check_character=True))
        assert response.status_code == 201, response.content
        assert response.json()["uscc_check_override"] is True
        row = AuditRecord.objects.get(action="enterprises.enterprise.create")
        assert row.detail["check_character_override"] is True


class TestCreate:
    def test_201_with_the_record(self, api_client, commander, zone_admin_org):
        ZoneAreaFactory()
        body = new_firm(uscc=make_uscc().lower(), foreign_invested=True, investor_country="kr")
        response = post(api_client(commander), URL, body)
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["uscc"] == body["uscc"].upper()
        assert data["area"] == "port"
        assert data["industry_class"] == "3841"
        assert data["investor_country"] == "KR"
        assert data["foreign_invested"] is True
        assert data["uscc_check_override"] is False
        assert AuditRecord.objects.filter(action="enterprises.enterprise.create", outcome="ok").count() == 1

    def test_duplicate_is_409(self, api_client, commander, enterprise):
        response = post(api_client(commander), URL, new_firm(uscc=enterprise.uscc))
        assert response.status_code == 409
        body = response.json()
        assert set(body) == ERROR_KEYS
        assert body["code"] == "duplicate_uscc"
        assert enterprise.uscc in body["message"]

    def test_wrong_types_are_422_with_the_error_body(self, api_client, commander, zone_admin_org):
        response = post(api_client(commander), URL, new_firm(latitude="north", foreign_invested="perhaps"))
        assert response.status_code == 422
        body = response.json()
        assert set(body) == ERROR_KEYS
        assert body["code"] == "invalid_request"
        assert {"latitude", "foreign_invested"} <= set(body["detail"]["fields"])

    def test_unknown_fields_are_refused(self, api_client, commander, zone_admin_org):
        ZoneAreaFactory()
        response = post(api_client(commander), URL, new_firm(owner="dept-customs"))
        assert response.status_code == 422
        assert "owner" in response.json()["detail"]["fields"]
        assert not Enterprise.objects.exists()

    def test_missing_code_is_422(self, api_client, commander, zone_admin_org):
        body = new_firm()
        del body["uscc"]
        response = post(api_client(commander), URL, body)
        assert response.status_code == 422
        assert "uscc" in response.json()["detail"]["fields"]

    def test_not_json_is_an_error_body(self, api_client, commander):
        response = api_client(commander).post(URL, "{not json", content_type="application/json")
        assert response.status_code in (400, 422)
        assert set(response.json()) == ERROR_KEYS


@pytest.fixture
def registry(zone_admin_org):
    """Seven firms in two areas and three sections, two of them foreign-invested."""
    port = ZoneAreaFactory()
    bonded = ZoneAreaFactory(code="bonded", name_zh="保税物流园区", name_en="Bonded logistics park")
    rows = [
        ("滨海锂电科技有限公司", "Binhai Lithium Tech", "C", "3841", port, False, ""),
        ("津港电池材料有限公司", "Jingang Battery Materials", "C", "3849", port, True, "JP"),
        ("海港国际货运代理有限公司", "Haigang Freight Forwarding", "G", "5821", bonded, False, ""),
        ("远洋危货物流有限公司", "Ocean DG Logistics", "G", "5435", bonded, True, "SG"),
        ("滨海石化贸易有限公司", "Binhai Petrochemical Trading", "F", "5162", port, False, ""),
        ("保税跨境电商有限公司", "Bonded Cross-border E-commerce", "F", "5292", bonded, False, ""),
        ("金属精工有限公司", "Metal Precision Works", "C", "3484", None, False, ""),
    ]
    made = {}
    for name_zh, name_en, section, klass, area, foreign, country in rows:
        made[name_en] = EnterpriseFactory(
            name_zh=name_zh,
            name_en=name_en,
            industry_section=section,
            industry_class_id=klass,
            area=area,
            foreign_invested=foreign,
            investor_country=country,
            organisation_form="sino_foreign_jv" if foreign else "limited_liability",
        )
    return made


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name_en"] for item in response.json()["items"]]


class TestList:
    def test_page_shape_and_order(self, api_client, emergency_officer, registry):
        response = api_client(emergency_officer).get(URL)
        data = response.json()
        assert set(data) == {"items", "count", "count_capped"}
        assert data["count"] == 7
        assert data["count_capped"] is False
        assert [i["name_zh"] for i in data["items"]] == sorted(i["name_zh"] for i in data["items"])
        first = data["items"][0]
        assert {"uscc", "name_zh", "name_en", "area", "industry_section", "industry_class", "foreign_invested"} <= set(
            first
        )

    def test_limit_and_offset(self, api_client, emergency_officer, registry):
        client = api_client(emergency_officer)
        everyone = names(client.get(URL))
        pages = [client.get(URL, {"limit": 3, "offset": offset}).json() for offset in (0, 3, 6)]
        assert [len(p["items"]) for p in pages] == [3, 3, 1]
        assert all(p["count"] == 7 for p in pages)
        assert [i["name_en"] for p in pages for i in p["items"]] == everyone
        assert client.get(URL, {"offset": 50}).json() == {"items": [], "count": 7, "count_capped": False}

    @pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"limit": -1}, {"offset": -1}, {"limit": "x"}])
    def test_bad_paging_is_422(self, api_client, emergency_officer, registry, params):
        response = api_client(emergency_officer).get(URL, params)
        assert response.status_code == 422
        body = response.json()
        assert set(body) == ERROR_KEYS
        assert set(params) <= set(body["detail"]["fields"])

    def test_max_limit_is_accepted(self, api_client, emergency_officer, registry):
        assert len(names(api_client(emergency_officer).get(URL, {"limit": 500}))) == 7

    def test_default_page_is_50(self, api_client, emergency_officer, zone_admin_org):
        EnterpriseFactory.create_batch(55)
        data = api_client(emergency_officer).get(URL).json()
        assert (len(data["items"]), data["count"]) == (50, 55)

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            ("锂电", ["Binhai Lithium Tech"]),
            ("电池", ["Jingang Battery Materials"]),
            ("freight", ["Haigang Freight Forwarding"]),
            ("BINHAI", ["Binhai Lithium Tech", "Binhai Petrochemical Trading"]),
            ("  物流 ", ["Ocean DG Logistics"]),
            ("无此企业", []),
        ],
    )
    def test_search_by_name(self, api_client, emergency_officer, registry, q, expected):
        assert sorted(names(api_client(emergency_officer).get(URL, {"q": q}))) == sorted(expected)

    def test_search_by_code_prefix(self, api_client, emergency_officer, registry):
        client = api_client(emergency_officer)
        target = registry["Ocean DG Logistics"]
        prefix = target.uscc[:12]
        assert target.name_en in names(client.get(URL, {"q": prefix}))
        assert names(client.get(URL, {"q": target.uscc.lower()})) == [target.name_en]
        assert len(names(client.get(URL, {"q": "91120116"}))) == 7  # all factory codes share this prefix
        assert names(client.get(URL, {"q": "91440300"})) == []
        assert names(client.get(URL, {"q": target.uscc[2:12]})) == []  # a prefix, not a substring

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            (
                {"area": "bonded"},
                {"Haigang Freight Forwarding", "Ocean DG Logistics", "Bonded Cross-border E-commerce"},
            ),
            ({"area": "nowhere"}, set()),
            ({"industry_section": "C"}, {"Binhai Lithium Tech", "Jingang Battery Materials", "Metal Precision Works"}),
            ({"industry_class": "5435"}, {"Ocean DG Logistics"}),
            ({"foreign_invested": "true"}, {"Jingang Battery Materials", "Ocean DG Logistics"}),
            ({"foreign_invested": "false", "area": "port"}, {"Binhai Lithium Tech", "Binhai Petrochemical Trading"}),
            ({"industry_section": "G", "q": "危货"}, {"Ocean DG Logistics"}),
        ],
    )
    def test_filters(self, api_client, emergency_officer, registry, params, expected):
        response = api_client(emergency_officer).get(URL, params)
        assert set(names(response)) == expected
        assert response.json()["count"] == len(expected)

    def test_enterprise_user_lists_only_itself(self, api_client, enterprise_admin, other_enterprise, registry):
        data = api_client(enterprise_admin).get(URL).json()
        assert data["count"] == 1
        assert data["items"][0]["uscc"] == enterprise_admin.organisation.enterprise.uscc

    def test_platform_admin_lists_nothing(self, api_client, audit_admin, registry):
        assert api_client(audit_admin).get(URL).json() == {"items": [], "count": 0, "count_capped": False}


class TestDetail:
    def test_get_by_code_any_case(self, api_client, customs_reviewer, enterprise):
        response = api_client(customs_reviewer).get(f"{URL}/{enterprise.uscc.lower()}")
        assert response.status_code == 200
        data = response.json()
        assert data["uscc"] == enterprise.uscc
        assert data["name_en"] == "Binhai Chemical Storage Co., Ltd."
        assert data["area"] == "port"
        assert data["industry_class"] == "5942"
        assert (data["latitude"], data["longitude"]) == (38.97, 117.75)

    def test_invisible_and_missing_are_the_same_404(self, api_client, enterprise_admin, other_enterprise):
        client = api_client(enterprise_admin)
        invisible = client.get(f"{URL}/{other_enterprise.uscc}")
        missing = client.get(f"{URL}/{make_uscc()}")
        assert invisible.status_code == missing.status_code == 404
        assert invisible.json() == missing.json()
        assert set(invisible.json()) == ERROR_KEYS
        assert invisible.json()["code"] == "not_found"
        assert other_enterprise.name_zh not in invisible.content.decode()


class TestPatch:
    def test_registry_keeper_patches(self, api_client, commander, enterprise):
        response = patch(api_client(commander), f"{URL}/{enterprise.uscc}", {"address": "港口大道9号"})
        assert response.status_code == 200, response.content
        assert response.json()["address"] == "港口大道9号"
        row = AuditRecord.objects.get(action="enterprises.enterprise.update")
        assert row.before == {"address": "滨海自贸试验区港口大道1号"}
        assert row.after == {"address": "港口大道9号"}

    def test_enterprise_admin_patches_own_self_service_field(self, api_client, enterprise_admin, enterprise):
        response = patch(api_client(enterprise_admin), f"{URL}/{enterprise.uscc}", {"name_en": "Binhai Chem"})
        assert response.status_code == 200
        assert Enterprise.objects.get(pk=enterprise.pk).name_en == "Binhai Chem"

    def test_validation_errors_are_422_and_change_nothing(self, api_client, commander, enterprise):
        response = patch(api_client(commander), f"{URL}/{enterprise.uscc}", {"area": "moon", "investor_country": "DE"})
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "validation_failed"
        assert "area" in body["detail"]["fields"]
        assert Enterprise.objects.get(pk=enterprise.pk).area.code == "port"

    def test_the_code_cannot_be_patched(self, api_client, commander, enterprise):
        response = patch(api_client(commander), f"{URL}/{enterprise.uscc}", {"uscc": make_uscc()})
        assert response.status_code == 422
        assert "uscc" in response.json()["detail"]["fields"]
        assert Enterprise.objects.filter(pk=enterprise.pk, uscc=enterprise.uscc).exists()

    def test_empty_patch_changes_nothing(self, api_client, commander, enterprise):
        response = patch(api_client(commander), f"{URL}/{enterprise.uscc}", {})
        assert response.status_code == 200
        assert not AuditRecord.objects.filter(action="enterprises.enterprise.update").exists()

    def test_404_for_an_enterprise_you_cannot_see(self, api_client, enterprise_admin, other_enterprise):
        response = patch(api_client(enterprise_admin), f"{URL}/{other_enterprise.uscc}", {"name_en": "Mine now"})
        assert response.status_code == 404
        assert Enterprise.objects.get(pk=other_enterprise.pk).name_en == "Haigang Logistics Co., Ltd."


class TestOpenApi:
    def test_docs_need_a_signed_in_person(self, api_client, emergency_officer):
        response = api_client().get("/api/v1/docs")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:login"))
        assert "next=/api/v1/docs" in response["Location"]
        signed_in = api_client(emergency_officer).get("/api/v1/docs")
        assert signed_in.status_code == 200
        assert b"swagger" in signed_in.content.lower()

    def test_openapi_json_lists_the_contract_paths(self, api_client, emergency_officer):
        assert api_client().get("/api/v1/openapi.json").status_code in (302, 401)
        response = api_client(emergency_officer).get("/api/v1/openapi.json")
        assert response.status_code == 200
        spec = response.json()
        paths = spec["paths"]
        for path in ("/api/v1/me", "/api/v1/organisations", "/api/v1/enterprises", "/api/v1/enterprises/{uscc}"):
            assert path in paths, path
        assert {"get", "post"} <= set(paths["/api/v1/enterprises"])
        assert {"get", "patch"} <= set(paths["/api/v1/enterprises/{uscc}"])
        assert spec["components"]["securitySchemes"]
