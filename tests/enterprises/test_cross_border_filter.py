"""The cross-department query (issue 4, item 5): enterprises with dangerous goods declared at customs and carried
under waybills in a period, with their chain summary, on GET /api/v1/enterprises and on the registry page."""

import pytest
from django.utils import translation

from ftzsafety.exchange import services as exchange_services
from tests.accounts.factories import UserFactory, department
from tests.enterprises.factories import EnterpriseFactory
from tests.exchange.conftest import declaration, waybill

URL = "/api/v1/enterprises"
LIST = "/enterprises/"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def customs_officer(db):
    return UserFactory(username="xb_customs", organisation=department("customs"), roles=["officer"])


@pytest.fixture
def transport_officer(db):
    return UserFactory(username="xb_transport", organisation=department("transport"), roles=["officer"])


def _import(actor, dataset, rows):
    job = exchange_services.records_import(actor=actor, dataset=dataset, rows=enumerate(rows, start=1))
    assert job.rejected == 0, job.rejected_rows
    assert job.created == len(rows)


def _line(no, un, name, qty, unit="t", hs="27101210"):
    return {"line_no": no, "hs_code": hs, "goods_name": name, "un_number": un, "quantity": qty, "unit": unit}


@pytest.fixture
def traders(customs_officer, transport_officer, enterprise, other_enterprise):
    """`enterprise` imports gasoline in October and carries it; `other_enterprise` declares gasoline but carries
    paint (no chain); `spring` imported and carried paint in June (a chain before the period)."""
    spring = EnterpriseFactory(name_zh="春季涂料贸易有限公司", name_en="Spring Paint Trading")
    _import(
        customs_officer,
        "customs-declarations",
        [
            declaration(enterprise, "020220261000000201", declared_on="2026-10-01",
                        goods=[_line(1, "UN1203", "车用汽油", "30"),
                               {"line_no": 2, "hs_code": "39011000", "goods_name": "聚乙烯", "quantity": "5",
                                "unit": "t"}]),
            declaration(other_enterprise, "020220261000000202", declared_on="2026-10-02",
                        goods=[_line(1, "UN1203", "车用汽油", "10")]),
            declaration(spring, "020220261000000203", declared_on="2026-06-01",
                        goods=[_line(1, "UN1263", "油漆", "8", hs="32089090")]),
        ],
    )  # fmt: skip
    _import(
        transport_officer,
        "dangerous-goods-waybills",
        [
            waybill(enterprise, "WB-XB-1", un_number="UN1203", quantity="12", departs_on="2026-10-08"),
            waybill(enterprise, "WB-XB-2", un_number="UN1203", quantity="14", departs_on="2026-10-09"),
            waybill(other_enterprise, "WB-XB-3", un_number="UN1263", quantity="3", departs_on="2026-10-09"),
            waybill(spring, "WB-XB-4", un_number="UN1263", quantity="8", departs_on="2026-06-05"),
        ],
    )
    return {"trader": enterprise, "other": other_enterprise, "spring": spring}


def items(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


class TestApi:
    def test_lists_only_enterprises_whose_declared_goods_were_carried(self, api_client, emergency_officer, traders):
        response = api_client(emergency_officer).get(
            URL, {"cross_border_dangerous_goods": "true", "since": "2026-09-01"}
        )
        rows = items(response)
        assert [r["uscc"] for r in rows] == [traders["trader"].uscc]
        assert response.json()["count"] == 1
        assert rows[0]["cross_border"] == {
            "un_numbers": ["UN1203"],
            "declarations": 1,
            "waybills": 2,
            "declared_quantities": {"t": "30.000"},
            "waybill_quantities": None,  # a commercial figure of the transport department: masked for emergency
        }

    def test_the_owning_department_reads_carried_quantities(self, api_client, transport_officer, traders):
        rows = items(api_client(transport_officer).get(URL, {"cross_border_dangerous_goods": "true"}))
        summaries = {r["uscc"]: r["cross_border"] for r in rows}
        assert summaries[traders["trader"].uscc]["waybill_quantities"] == {"t": "26.000"}

    def test_without_since_the_whole_history_counts(self, api_client, emergency_officer, traders):
        rows = items(api_client(emergency_officer).get(URL, {"cross_border_dangerous_goods": "true"}))
        assert {r["uscc"] for r in rows} == {traders["trader"].uscc, traders["spring"].uscc}
        spring = next(r for r in rows if r["uscc"] == traders["spring"].uscc)
        assert spring["cross_border"]["un_numbers"] == ["UN1263"]

    def test_since_after_everything_lists_nothing(self, api_client, emergency_officer, traders):
        response = api_client(emergency_officer).get(
            URL, {"cross_border_dangerous_goods": "true", "since": "2026-10-10"}
        )
        assert items(response) == []
        assert response.json()["count"] == 0

    def test_without_the_filter_every_enterprise_and_no_summary(self, api_client, emergency_officer, traders):
        rows = items(api_client(emergency_officer).get(URL, {"since": "2026-09-01"}))
        assert len(rows) == 3
        assert all(r["cross_border"] is None for r in rows)

    def test_combines_with_search_and_filters(self, api_client, emergency_officer, traders):
        client = api_client(emergency_officer)
        params = {"cross_border_dangerous_goods": "true"}
        assert [r["uscc"] for r in items(client.get(URL, {**params, "q": "涂料"}))] == [traders["spring"].uscc]
        assert items(client.get(URL, {**params, "q": "涂料", "since": "2026-09-01"})) == []
        assert items(client.get(URL, {**params, "industry_section": "C"})) == []

    @pytest.mark.parametrize("since", ["2026-13-01", "yesterday", "2026/10/01", "01-10-2026"])
    def test_a_bad_date_is_422_naming_the_field(self, api_client, emergency_officer, traders, since):
        response = api_client(emergency_officer).get(URL, {"cross_border_dangerous_goods": "true", "since": since})
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "validation_failed"
        assert set(body["detail"]["fields"]) == {"since"}
        assert "YYYY-MM-DD" in body["detail"]["fields"]["since"][0]
        assert since in body["detail"]["fields"]["since"][0]

    def test_a_bad_flag_is_422(self, api_client, emergency_officer, traders):
        response = api_client(emergency_officer).get(URL, {"cross_border_dangerous_goods": "maybe"})
        assert response.status_code == 422
        assert "cross_border_dangerous_goods" in response.json()["detail"]["fields"]

    def test_an_association_sees_no_department_data(self, api_client, association_staff, traders):
        response = api_client(association_staff).get(URL, {"cross_border_dangerous_goods": "true"})
        assert items(response) == []

    def test_the_enterprise_sees_its_own_chain_only(self, api_client, enterprise_admin, traders):
        rows = items(api_client(enterprise_admin).get(URL, {"cross_border_dangerous_goods": "true"}))
        assert [r["uscc"] for r in rows] == [traders["trader"].uscc]
        assert rows[0]["cross_border"]["declared_quantities"] == {"t": "30.000"}

    def test_a_page_costs_a_fixed_number_of_queries(
        self, api_client, emergency_officer, traders, customs_officer, transport_officer, django_assert_max_num_queries
    ):
        more = [EnterpriseFactory(name_zh=f"危货贸易{n:02d}有限公司") for n in range(6)]
        _import(
            customs_officer,
            "customs-declarations",
            [
                declaration(
                    e, f"02022026200000{n:04d}", declared_on="2026-10-05", goods=[_line(1, "UN1203", "汽油", "5")]
                )
                for n, e in enumerate(more)
            ],
        )
        _import(
            transport_officer,
            "dangerous-goods-waybills",
            [waybill(e, f"WB-MORE-{n}", departs_on="2026-10-06") for n, e in enumerate(more)],
        )
        client = api_client(emergency_officer)
        client.get(URL)  # the session and the user's roles are loaded once
        with django_assert_max_num_queries(14):
            rows = items(client.get(URL, {"cross_border_dangerous_goods": "true", "since": "2026-09-01"}))
        assert len(rows) == 7
        assert all(r["cross_border"]["un_numbers"] == ["UN1203"] for r in rows)


class TestPage:
    def test_the_list_page_filters_and_shows_the_chain(self, api_client, emergency_officer, traders):
        html = (
            api_client(emergency_officer)
            .get(LIST, {"cross_border_dangerous_goods": "on", "since": "2026-09-01"}, HTTP_ACCEPT_LANGUAGE="en")
            .content.decode()
        )
        assert "1 enterprise" in html
        assert traders["trader"].uscc in html
        assert traders["other"].uscc not in html
        assert 'data-testid="chain-summary"' in html
        assert "UN1203" in html
        assert "1 declaration" in html
        assert "2 waybills" in html
        assert 'name="cross_border_dangerous_goods"' in html
        assert 'type="date"' in html

    def test_the_page_without_the_filter_has_no_chain_column(self, api_client, emergency_officer, traders):
        html = api_client(emergency_officer).get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "3 enterprises" in html
        assert 'data-testid="chain-summary"' not in html

    def test_a_bad_date_on_the_page_is_shown_next_to_the_field(self, api_client, emergency_officer, traders):
        html = (
            api_client(emergency_officer)
            .get(LIST, {"cross_border_dangerous_goods": "on", "since": "2026-99-01"}, HTTP_ACCEPT_LANGUAGE="en")
            .content.decode()
        )
        assert 'data-testid="since-error"' in html
        assert "YYYY-MM-DD" in html
        assert "2 enterprises" in html  # the filter still applies, over the whole history

    def test_empty_state(self, api_client, emergency_officer, traders):
        html = (
            api_client(emergency_officer)
            .get(LIST, {"cross_border_dangerous_goods": "on", "since": "2026-12-01"}, HTTP_ACCEPT_LANGUAGE="en")
            .content.decode()
        )
        assert 'data-testid="empty-state"' in html
        assert "No enterprise matches these filters." in html
