"""The dangerous-goods API: lookup, search, segregation and the stateless assessment — status codes, bodies, errors."""

import pytest

from ftzsafety.dangerous_goods.services import CatalogueRow, hazardous_chemical_catalogue_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(api_client, emergency_officer):
    return api_client(emergency_officer)


def _post(client, path, payload):
    return client.post(path, payload, content_type="application/json")


@pytest.mark.parametrize("typed", ["1017", "UN1017", "un 1017", "un1017", "ＵＮ１０１７"])
def test_lookup_accepts_every_spelling(client, typed):
    response = client.get(f"/api/v1/dangerous-goods/un/{typed}")
    assert response.status_code == 200, response.content
    assert response.json()["un_number"] == "UN1017"


def test_lookup_answers_names_classes_and_sources(client):
    body = client.get("/api/v1/dangerous-goods/un/1017").json()
    assert body["hazard_class_info"] == {"code": "2.3", "name_zh": "毒性气体", "name_en": "Toxic gases"}
    assert [c["code"] for c in body["subsidiary_hazard_info"]] == ["5.1", "8"]
    assert body["packing_groups"] == []
    assert body["gb18218"]["beta"] == 4
    assert "液氯" in body["gb18218"]["aliases"]
    assert body["gb18218"]["cas_numbers"] == ["7782-50-5"]
    assert body["hazardous_chemical"] == {"value": True, "basis": "class_rule", "entry_no": None, "highly_toxic": None}
    assert {s["edition"] for s in body["sources"]} >= {"GB 12268-2025", "GB 18218-2018"}
    assert {v["source"] for v in body["variants"]} == {"gb12268", "hmt"}


def test_a_battery_is_flagged_and_has_no_gb18218_row(client):
    body = client.get("/api/v1/dangerous-goods/un/UN3480").json()
    assert body["is_lithium_battery"] is True
    assert body["lithium_chemistry"] == "lithium_ion"
    assert body["gb18218"] is None
    assert body["hazardous_chemical"]["value"] is False  # class 9, not named by GB 18218


def test_packing_groups_are_listed(client):
    assert client.get("/api/v1/dangerous-goods/un/1203").json()["packing_groups"] == ["II"]


@pytest.mark.parametrize("typed", ["10170", "abc", "UN-10", "101"])
def test_a_malformed_number_is_422(client, typed):
    response = client.get(f"/api/v1/dangerous-goods/un/{typed}")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    assert "UN1017" in body["message"]
    assert "un_number" in body["detail"]["fields"]


def test_an_unknown_number_is_404_with_a_clear_message(client):
    response = client.get("/api/v1/dangerous-goods/un/UN9999")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert "UN9999 is not in the dangerous-goods list" in body["message"]


def test_lookup_needs_authentication(api_client):
    assert api_client(None).get("/api/v1/dangerous-goods/un/1017").status_code == 401


def test_lookup_by_bearer_token(bearer_client, customs_reviewer):
    assert bearer_client(customs_reviewer).get("/api/v1/dangerous-goods/un/1017").status_code == 200


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("1017", "UN1017"),
        ("UN1203", "UN1203"),
        ("氯", "UN1017"),
        ("chlorine", "UN1017"),
        ("液氯", "UN1017"),
        ("7782-50-5", "UN1017"),
        ("车用汽油", "UN1203"),
        ("gasoline", "UN1203"),
        ("lithium ion batteries", "UN3480"),
        ("液化石油气", "UN1075"),
        ("ammonia anhydrous", "UN1005"),
    ],
)
def test_search_finds_the_entry_first(client, q, expected):
    response = client.get("/api/v1/dangerous-goods/search", {"q": q})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 1
    assert body["items"][0]["un_number"] == expected


def test_search_pages_and_counts(client):
    body = client.get("/api/v1/dangerous-goods/search", {"q": "锂", "limit": 2}).json()
    assert body["count"] >= 4
    assert len(body["items"]) == 2
    assert client.get("/api/v1/dangerous-goods/search", {"q": ""}).json() == {"items": [], "count": 0}


def test_classes_and_datasets(client):
    classes = client.get("/api/v1/dangerous-goods/classes").json()
    assert any(c["code"] == "6.1" and c["name_zh"] == "毒性物质" for c in classes)
    datasets = {d["code"]: d for d in client.get("/api/v1/dangerous-goods/datasets").json()}
    assert datasets["gb18218_table1"]["edition"] == "GB 18218-2018"
    assert datasets["gb18218_table1"]["row_count"] == 85


def test_segregation_answers_every_pair_with_meanings(client):
    response = _post(
        client,
        "/api/v1/dangerous-goods/segregation",
        {
            "items": [
                {"ref": "A", "un_number": "1203"},
                {"ref": "B", "hazard_class": "5.1"},
                {"ref": "C", "un_number": "1017"},
            ]
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert [(p["a"], p["b"], p["code"]) for p in body["pairs"]] == [("A", "B", "2"), ("A", "C", "2"), ("B", "C", "2")]
    assert body["pairs"][0]["meaning_en"].startswith("Separated from")
    assert body["pairs"][0]["meaning_zh"].startswith("隔离")
    assert body["items"][2]["subsidiary_hazards"] == ["5.1", "8"]
    assert body["edition"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"items": [{"ref": "A", "un_number": "9999"}, {"ref": "B", "hazard_class": "3"}]}, "items[0].un_number"),
        ({"items": [{"ref": "A", "un_number": "1203"}]}, "items"),
        ({"items": [{"ref": "A", "un_number": "1203"}, {"ref": "B", "hazard_class": "11"}]}, "items[1].hazard_class"),
        ({"items": [{"ref": "A", "un_numbr": "1203"}, {"ref": "B", "hazard_class": "3"}]}, "items.0.un_numbr"),
        ({}, "items"),
    ],
)
def test_segregation_errors_are_422_naming_the_field(client, payload, field):
    response = _post(client, "/api/v1/dangerous-goods/segregation", payload)
    assert response.status_code == 422, response.content
    assert field in response.json()["detail"]["fields"]


def test_assessment_errors_are_422_naming_line_and_field(client):
    payload = {
        "inventories": [{"substance": "氯", "quantity_t": 3}, {"substance": "不明物质", "quantity_t": 2}],
        "exposed_population": 60,
    }
    response = _post(client, "/api/v1/major-hazards/assess", payload)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]["fields"]["inventories[1].substance"][0].startswith("Line 2, substance:")
    assert body["message"].startswith("Line 2")


@pytest.mark.parametrize("quantity", [0, -1, "NaN", "Infinity"])
def test_assessment_refuses_quantities_that_are_not_positive_finite(client, quantity):
    body = '{"inventories": [{"substance": "氯", "quantity_t": ' + str(quantity) + '}], "exposed_population": 10}'
    response = client.post("/api/v1/major-hazards/assess", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert "inventories[0].quantity_t" in response.json()["detail"]["fields"]


def test_assessment_refuses_a_text_quantity_by_schema(client):
    payload = {"inventories": [{"substance": "氯", "quantity_t": "lots"}], "exposed_population": 10}
    response = _post(client, "/api/v1/major-hazards/assess", payload)
    assert response.status_code == 422
    assert "inventories.0.quantity_t" in response.json()["detail"]["fields"]


def test_an_unknown_substance_with_its_category_is_assessed(client):
    payload = {"inventories": [{"substance": "丙烯", "category": "W2", "quantity_t": 5}], "exposed_population": 0}
    body = _post(client, "/api/v1/major-hazards/assess", payload).json()
    assert body["lines"][0]["Q"] == 10
    assert body["lines"][0]["matched"] == "table2"
    assert body["is_major"] is False


def test_the_imported_catalogue_decides_hazardous_chemical_status(client):
    hazardous_chemical_catalogue_import(
        actor=None,
        rows=[CatalogueRow(1, "氯", ["液氯", "氯气"], ["7782-50-5"], True, "剧毒")],
        edition="2015",
        source="test",
    )
    body = client.get("/api/v1/dangerous-goods/un/1017").json()
    assert body["hazardous_chemical"] == {"value": True, "basis": "catalogue", "entry_no": 1, "highly_toxic": True}
