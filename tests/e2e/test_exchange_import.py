"""A department file imported from the browser: a transport officer uploads waybills; a large file is queued and the
job page follows its progress (htmx polling) until the background import completes; the rejected row is listed."""

import re
from types import SimpleNamespace

import pytest

from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = (
    "waybill_no,enterprise_code,enterprise_name,carrier,vehicle,un_number,quantity,unit,origin,destination,route,"
    "departs_on,arrives_on"
)


@pytest.fixture
def transport_officer(db: None):
    from tests.accounts.factories import UserFactory, department

    return UserFactory(username="transport_officer", organisation=department("transport"), roles=["officer"])


def test_queued_import_progress(page_en, live_server, transport_officer, enterprise, console, monkeypatch, tmp_path):
    from django.conf import settings

    from ftzsafety.exchange import services, tasks
    from ftzsafety.exchange.models import DangerousGoodsWaybill, ImportJob

    monkeypatch.setattr(settings, "VAR_DIR", tmp_path)
    monkeypatch.setattr(services, "ASYNC_ROWS", 2)
    queued: list[int] = []
    monkeypatch.setattr(tasks, "run_import", SimpleNamespace(enqueue=queued.append))  # the worker runs it later
    lines = [
        f"WB-E2E-{i},{enterprise.uscc},,滨海危货运输有限公司,津A1234{i},UN1203,18.5,t,天津港,滨海化工园区,,2026-11-03,"
        for i in range(3)
    ]
    lines.append(
        f"WB-E2E-9,{enterprise.uscc},,滨海危货运输有限公司,津A12349,UN1203,18.5,barrel,天津港,园区,,2026-11-03,"
    )
    upload = tmp_path / "waybills.csv"
    upload.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")

    page = page_en
    sign_in(page, live_server, transport_officer.username, PASSWORD)
    page.goto(f"{live_server.url}/exchange/import/")
    page.locator("#id_dataset").select_option("dangerous-goods-waybills")
    page.locator("#id_file").set_input_files(str(upload))
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url(re.compile(r"/exchange/jobs/\d+/$"))
    assert page.locator("[data-testid=job-status]").inner_text() == "Queued"
    assert page.locator("progress").count() == 1

    (job_id,) = queued
    services.import_run_queued(job_id=job_id)  # the task worker picks the job up
    page.locator("[data-testid=job-status]", has_text="Completed").wait_for()  # swapped in by the polling
    assert page.locator("[data-testid=job-created]").inner_text() == "3"
    assert page.locator("progress").count() == 0
    page.reload()
    assert "barrel" in page.locator("table").last.inner_text()
    assert ImportJob.objects.get(pk=job_id).rejected == 1
    assert DangerousGoodsWaybill.objects.count() == 3
    console.assert_clean()
