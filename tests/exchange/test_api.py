import json

import pytest

from ftzsafety.audit.models import AuditRecord
from ftzsafety.exchange import services
from ftzsafety.exchange.models import CustomsDeclaration, DangerousGoodsWaybill, ImportJob, ResolutionCase
from tests.exchange.conftest import declaration, waybill

URL = "/api/v1/exchange/{}/records"


def _post(client, dataset, rows):
    return client.post(URL.format(dataset), data=json.dumps(rows), content_type="application/json")


class TestIngestApi:
    def test_counts_and_rejected_rows(self, api_client, customs_officer, enterprise) -> None:
        bad = declaration(enterprise, "020220261000000002", enterprise_code="91120116MA05ABCDE0")
        response = _post(api_client(customs_officer), "customs-declarations", [declaration(enterprise), bad])
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["counts"] == {"total": 2, "created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
        assert body["rejected_rows"][0]["row"] == 2
        assert body["rejected_rows"][0]["field"] == "enterprise_code"
        again = _post(api_client(customs_officer), "customs-declarations", [declaration(enterprise)]).json()
        assert again["counts"]["created"] == 0
        assert again["counts"]["unchanged"] == 1

    def test_bearer_token_of_the_department(self, bearer_client, transport_officer, enterprise) -> None:
        response = _post(bearer_client(transport_officer), "dangerous-goods-waybills", [waybill(enterprise)])
        assert response.status_code == 200
        assert DangerousGoodsWaybill.objects.count() == 1

    def test_other_department_gets_403_and_nothing_changes(self, api_client, emergency_officer, enterprise) -> None:
        response = _post(api_client(emergency_officer), "customs-declarations", [declaration(enterprise)])
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert CustomsDeclaration.objects.count() == 0

    def test_anonymous_401(self, api_client, enterprise) -> None:
        assert _post(api_client(None), "customs-declarations", [declaration(enterprise)]).status_code == 401

    def test_unknown_dataset_404(self, api_client, customs_officer) -> None:
        response = _post(api_client(customs_officer), "nope", [])
        assert response.status_code == 404
        assert "customs-declarations" in response.json()["message"]

    def test_not_an_array_422(self, api_client, customs_officer) -> None:
        response = _post(api_client(customs_officer), "customs-declarations", {"declaration_no": "1"})
        assert response.status_code == 422
        assert response.json()["detail"]["fields"]["body"]

    def test_too_many_rows_413(self, api_client, customs_officer, monkeypatch) -> None:
        monkeypatch.setattr(services, "MAX_API_ROWS", 3)
        response = _post(api_client(customs_officer), "customs-declarations", [{}] * 4)
        assert response.status_code == 413
        body = response.json()
        assert body["code"] == "too_many_records"
        assert "at most 3" in body["message"]
        assert ImportJob.objects.count() == 0


class TestJobsApi:
    def test_job_and_errors_csv(self, api_client, customs_officer, emergency_officer, enterprise) -> None:
        bad = declaration(enterprise, "020220261000000002", declared_on="yesterday")
        job_id = _post(api_client(customs_officer), "customs-declarations", [bad]).json()["id"]
        body = api_client(customs_officer).get(f"/api/v1/exchange/jobs/{job_id}").json()
        assert body["status"] == "completed"
        assert body["actor"] == "customs_officer"
        csv_response = api_client(customs_officer).get(f"/api/v1/exchange/jobs/{job_id}/errors.csv")
        assert csv_response.status_code == 200
        text = csv_response.content.decode("utf-8-sig")
        assert text.splitlines()[0] == "row,field,reason"
        assert "1,declared_on," in text
        # Another department's job does not exist for you.
        assert api_client(emergency_officer).get(f"/api/v1/exchange/jobs/{job_id}").status_code == 404
        assert AuditRecord.objects.filter(action="exchange.import.run", target_id=str(job_id)).exists()


class TestReadAccess:
    def test_enterprise_sees_only_its_rows_and_association_only_public(
        self, api_client, transport_officer, enterprise, other_enterprise, enterprise_staff, association_staff
    ) -> None:
        _post(
            api_client(transport_officer),
            "dangerous-goods-waybills",
            [waybill(enterprise, "WB-A"), waybill(other_enterprise, "WB-B")],
        )
        mine = api_client(enterprise_staff).get(URL.format("dangerous-goods-waybills")).json()
        assert [row["waybill_no"] for row in mine["items"]] == ["WB-A"]
        assert mine["items"][0]["quantity"] == "18.500"  # the enterprise reads its own figures in clear
        assert api_client(association_staff).get(URL.format("dangerous-goods-waybills")).json()["count"] == 0
        DangerousGoodsWaybill.objects.filter(waybill_no="WB-B").update(classification="public")
        public = api_client(association_staff).get(URL.format("dangerous-goods-waybills")).json()
        assert [row["waybill_no"] for row in public["items"]] == ["WB-B"]
        assert public["items"][0]["quantity"] != "18.500"  # masked commercial figure

    def test_government_reads_internal_rows(self, api_client, transport_officer, customs_reviewer, enterprise) -> None:
        _post(api_client(transport_officer), "dangerous-goods-waybills", [waybill(enterprise)])
        assert api_client(customs_reviewer).get(URL.format("dangerous-goods-waybills")).json()["count"] == 1


class TestCatalogueAndQueue:
    def test_catalogue(self, api_client, customs_officer) -> None:
        body = api_client(customs_officer).get("/api/v1/exchange/catalogue").json()
        by_slug = {item["slug"]: item for item in body["items"]}
        assert {"customs-declarations", "dangerous-goods-waybills", "storage-inventories"} <= set(by_slug)
        customs = by_slug["customs-declarations"]
        assert customs["owners"][0]["code"] == "customs"
        assert customs["classification"] == "internal"
        assert customs["readers"]
        assert customs["can_write"] is True
        sensitive = {f["name"]: f["sensitive"] for f in by_slug["dangerous-goods-waybills"]["fields"]}
        assert sensitive["quantity"] == "commercial_figure"

    def test_queue_and_confirm(
        self, api_client, transport_officer, emergency_officer, enterprise_admin, enterprise
    ) -> None:
        row = waybill(enterprise, "WB-Q", enterprise_code="", enterprise_name="滨海化工储运有限公司")
        _post(api_client(transport_officer), "dangerous-goods-waybills", [row])
        queue = api_client(emergency_officer).get("/api/v1/exchange/resolution-cases").json()
        assert queue["count"] == 1
        case = queue["items"][0]
        assert case["candidates"][0]["uscc"] == enterprise.uscc
        url = f"/api/v1/exchange/resolution-cases/{case['id']}/confirm"
        assert api_client(enterprise_admin).post(url, data={"enterprise_id": enterprise.pk},
                                                 content_type="application/json").status_code == 403  # fmt: skip
        wrong = api_client(emergency_officer).post(url, data={"enterprise_id": 999999}, content_type="application/json")
        assert wrong.status_code == 422
        ok = api_client(emergency_officer).post(
            url, data={"enterprise_id": enterprise.pk}, content_type="application/json"
        )
        assert ok.status_code == 200
        assert ok.json()["status"] == "confirmed"
        assert DangerousGoodsWaybill.objects.get().enterprise_id == enterprise.pk
        again = api_client(emergency_officer).post(
            url, data={"enterprise_id": enterprise.pk}, content_type="application/json"
        )
        assert again.status_code == 409
        assert ResolutionCase.objects.get().confirmed_by == emergency_officer


@pytest.mark.parametrize("dataset", ["customs-declarations", "dangerous-goods-waybills", "storage-inventories"])
def test_records_list_for_each_dataset(api_client, commander, dataset) -> None:
    response = api_client(commander).get(URL.format(dataset))
    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0}
