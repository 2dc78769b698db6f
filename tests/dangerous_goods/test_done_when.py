"""Issue 5 "Done when", through the API."""

import pytest

pytestmark = pytest.mark.django_db


def test_un1017_is_chlorine_with_its_gb18218_quantity(api_client, emergency_officer):
    response = api_client(emergency_officer).get("/api/v1/dangerous-goods/un/UN1017")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["un_number"] == "UN1017"
    assert body["name_zh"] == "氯"
    assert body["name_en"] == "Chlorine"
    assert body["hazard_class"] == "2.3"
    assert body["subsidiary_hazards"] == ["5.1", "8"]
    assert body["is_lithium_battery"] is False
    assert body["gb18218"]["critical_quantity_t"] == 5
    assert body["gb18218"]["name_zh"] == "氯"


def test_gasoline_with_an_oxidiser_is_separated_from(api_client, emergency_officer):
    payload = {"items": [{"ref": "A", "un_number": "1203"}, {"ref": "B", "hazard_class": "5.1"}]}
    response = api_client(emergency_officer).post(
        "/api/v1/dangerous-goods/segregation", payload, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    (pair,) = response.json()["pairs"]
    assert pair["a"] == "A"
    assert pair["b"] == "B"
    assert pair["code"] == "2"
    assert pair["conflict"] is True
    assert pair["decided_by"] == ["3", "5.1"]
    assert pair["meaning_zh"]
    assert pair["meaning_en"]


@pytest.mark.parametrize("other", ["1.1D", "2.1", "2.3", "3", "4.3", "5.1", "6.1", "7", "8", "9"])
def test_any_pair_with_class_9_is_x(api_client, emergency_officer, other):
    payload = {"items": [{"ref": "battery", "un_number": "UN3480"}, {"ref": "other", "hazard_class": other}]}
    response = api_client(emergency_officer).post(
        "/api/v1/dangerous-goods/segregation", payload, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    (pair,) = response.json()["pairs"]
    assert pair["code"] == "X"
    assert pair["conflict"] is False


def test_three_tonnes_of_chlorine_with_six_of_ammonia_is_major(api_client, emergency_officer):
    payload = {
        "inventories": [{"substance": "氯", "quantity_t": 3}, {"cas": "7664-41-7", "quantity_t": 6}],
        "exposed_population": 60,
    }
    response = api_client(emergency_officer).post(
        "/api/v1/major-hazards/assess", payload, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["S"] == 1.2
    assert body["is_major"] is True
    # β: chlorine 4, ammonia 2 (Table 3); α = 1.5 for 50–99 people: R = 1.5 × (4 × 0.6 + 2 × 0.6) = 5.4 → grade 4.
    assert body["alpha"] == 1.5
    assert body["R"] == 5.4
    assert body["grade"] == 4
    assert [line["Q"] for line in body["lines"]] == [5, 10]
