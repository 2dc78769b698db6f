import pytest

from tests.accounts.factories import UserFactory, department


@pytest.fixture
def customs_officer(db: None):
    return UserFactory(username="customs_officer", organisation=department("customs"), roles=["officer"])


@pytest.fixture
def transport_officer(db: None):
    return UserFactory(username="transport_officer", organisation=department("transport"), roles=["officer"])


@pytest.fixture
def maritime_officer(db: None):
    return UserFactory(username="maritime_officer", organisation=department("maritime"), roles=["officer"])


@pytest.fixture
def market_officer(db: None):
    return UserFactory(username="market_officer", organisation=department("market"), roles=["officer"])


def port_operation(enterprise, number: str = "PO-TJ-2026-0001", **overrides) -> dict:
    row = {
        "operation_no": number,
        "kind": "unloading",
        "enterprise_code": enterprise.uscc,
        "enterprise_name": enterprise.name_zh,
        "vessel": "海洋之星",
        "voyage": "2611E",
        "berth": "南疆港区 3#",
        "yard_position": "",
        "un_number": "UN1203",
        "quantity": "30",
        "unit": "t",
        "started_at": "2026-11-03T08:00:00+08:00",
        "ended_at": "2026-11-03T14:00:00+08:00",
    }
    row.update(overrides)
    return row


def inventory(enterprise, warehouse: str = "甲类仓库A", **overrides) -> dict:
    row = {
        "enterprise_code": enterprise.uscc,
        "enterprise_name": enterprise.name_zh,
        "warehouse": warehouse,
        "un_number": "UN1203",
        "chemical_name": "汽油",
        "quantity": "28",
        "unit": "t",
        "as_of": "2026-11-04T18:00:00+08:00",
    }
    row.update(overrides)
    return row


def declaration(enterprise, number: str = "020220261000000001", **overrides) -> dict:
    row = {
        "declaration_no": number,
        "declared_on": "2026-11-02",
        "direction": "import",
        "enterprise_code": enterprise.uscc,
        "enterprise_name": enterprise.name_zh,
        "port": "天津新港",
        "country": "KR",
        "goods": [
            {"line_no": 1, "hs_code": "29012200", "goods_name": "丙烯", "un_number": "UN1077", "quantity": "20000",
             "unit": "kg"},
            {"line_no": 2, "hs_code": "39011000", "goods_name": "聚乙烯", "quantity": "5", "unit": "t"},
        ],
    }  # fmt: skip
    row.update(overrides)
    return row


def waybill(enterprise, number: str = "WB202611290001", **overrides) -> dict:
    row = {
        "waybill_no": number,
        "enterprise_code": enterprise.uscc,
        "enterprise_name": enterprise.name_zh,
        "carrier": "滨海危货运输有限公司",
        "vehicle": "津A12345",
        "un_number": "1203",
        "quantity": "18.5",
        "unit": "t",
        "origin": "天津港",
        "destination": "滨海化工园区",
        "route": "港城大道—津晋高速",
        "departs_on": "2026-11-03",
    }
    row.update(overrides)
    return row


@pytest.fixture(autouse=True)
def _var_dir(settings: object, tmp_path) -> None:
    """Queued imports keep their file under VAR_DIR/imports: a scratch directory per test."""
    settings.VAR_DIR = tmp_path


@pytest.fixture(autouse=True)
def _english() -> object:
    """Messages are asserted in English (the msgids); zh-hans is the site default."""
    from django.utils import translation

    with translation.override("en"):
        yield
