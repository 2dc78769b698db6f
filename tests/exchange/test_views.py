import json

from django.test import Client

from ftzsafety.exchange.models import DangerousGoodsWaybill, ImportJob, ResolutionCase
from tests.exchange.conftest import waybill


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_catalogue_page(emergency_officer) -> None:
    response = _client(emergency_officer).get("/exchange/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "customs-declarations" in html
    assert html.count("<script") == html.count("<script src=")  # no inline script under the CSP
    assert 'style="' not in html


def test_jobs_pages_and_queue_confirm(transport_officer, emergency_officer, enterprise, enterprise_admin) -> None:
    client = _client(transport_officer)
    rows = [waybill(enterprise, "WB-1", quantity="x"), waybill(enterprise, "WB-2", enterprise_code="",
                                                               enterprise_name="滨海化工储运有限公司")]  # fmt: skip
    client.post("/api/v1/exchange/dangerous-goods-waybills/records", data=json.dumps(rows),
                content_type="application/json")  # fmt: skip
    job = ImportJob.objects.get()
    assert f'href="/exchange/jobs/{job.pk}/"' in client.get("/exchange/jobs/").content.decode()
    detail = client.get(f"/exchange/jobs/{job.pk}/").content.decode()
    assert "quantity" in detail
    assert f"/api/v1/exchange/jobs/{job.pk}/errors.csv" in detail
    assert _client(enterprise_admin).get(f"/exchange/jobs/{job.pk}/").status_code == 404
    queue = _client(emergency_officer).get("/exchange/resolution/")
    assert "滨海化工储运有限公司" in queue.content.decode()
    case = ResolutionCase.objects.get()
    response = _client(emergency_officer).post(
        f"/exchange/resolution/{case.pk}/confirm/", {"enterprise_id": enterprise.pk}
    )
    assert response.status_code == 302
    assert DangerousGoodsWaybill.objects.get().enterprise_id == enterprise.pk
    assert _client(enterprise_admin).get("/exchange/resolution/").status_code == 403


def test_pages_render_in_chinese(emergency_officer) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(emergency_officer)
    for url in ("/exchange/", "/exchange/jobs/", "/exchange/resolution/"):
        assert client.get(url).status_code == 200
