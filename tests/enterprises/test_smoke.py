import json

from ftzsafety.audit.models import AuditRecord


def test_create_via_api_and_read_back(api_client, commander, zone_admin_org):
    client = api_client(commander)
    body = {
        "uscc": "91120116MA05XB3K4Y",
        "name_zh": "滨海锂电科技有限公司",
        "organisation_form": "limited_liability",
        "industry_section": "C",
        "industry_class": "3841",
    }
    r = client.post("/api/v1/enterprises", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    assert AuditRecord.objects.filter(action="enterprises.enterprise.create").count() == 1
    r = client.get("/api/v1/enterprises?q=91120116")
    assert r.json()["count"] == 1


def test_bad_check_character(api_client, commander, zone_admin_org):
    r = api_client(commander).post(
        "/api/v1/enterprises",
        json.dumps({"uscc": "914403001922038217", "name_zh": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 422
    assert "“6”" in r.json()["message"]


def test_unauthenticated(api_client):
    r = api_client().get("/api/v1/enterprises")
    assert r.status_code == 401
    assert r.json()["code"] == "not_authenticated"
