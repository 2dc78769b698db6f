"""The cross-border chain: declaration → port operation → storage → waybill, linked by UN number and dates,
scoped per viewer, in a fixed number of queries."""

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from ftzsafety.core.models import Classification
from ftzsafety.enterprises.models import Enterprise
from ftzsafety.exchange import chains, services
from ftzsafety.exchange.datasets import DATASETS
from ftzsafety.exchange.models import PortOperation
from tests.exchange.conftest import declaration, inventory, port_operation, waybill


def _run(actor, dataset, rows):
    job = services.records_import(actor=actor, dataset=dataset, rows=enumerate(rows, start=1))
    assert job.rejected == 0, job.rejected_rows
    return job


def _line(no, un, name, qty, unit="t", hs="27101210"):
    return {"line_no": no, "hs_code": hs, "goods_name": name, "un_number": un, "quantity": qty, "unit": unit}


@pytest.fixture
def trail(customs_officer, maritime_officer, emergency_officer, transport_officer, enterprise, other_enterprise):
    """Gasoline and paint complete; lithium batteries never seen in the port (a gap)."""
    _run(
        customs_officer,
        "customs-declarations",
        [
            declaration(
                enterprise, "020220261000000101", declared_on="2026-10-01",
                goods=[_line(1, "UN1203", "车用汽油", "30"), _line(2, "UN1993", "油漆稀释剂", "20", hs="38140000"),
                       {"line_no": 3, "hs_code": "39011000", "goods_name": "聚乙烯", "quantity": "5", "unit": "t"}],
            ),
            declaration(
                enterprise, "020220261000000102", declared_on="2026-10-20",
                goods=[_line(1, "UN3480", "锂离子电池组", "500", unit="pcs", hs="85076000")],
            ),
            declaration(
                other_enterprise, "020220261000000103", declared_on="2026-10-02",
                goods=[_line(1, "UN1203", "车用汽油", "10")],
            ),
            declaration(enterprise, "020220261000000104", declared_on="2026-10-03", direction="export",
                        goods=[_line(1, "UN1203", "车用汽油", "3")]),
        ],
    )  # fmt: skip
    _run(
        maritime_officer,
        "port-operations",
        [
            port_operation(enterprise, "PO-1", started_at="2026-10-03T08:00:00+08:00", ended_at=""),
            port_operation(
                enterprise, "PO-2", kind="yard_storage", un_number="UN1993", quantity="20", yard_position="D-07-3",
                started_at="2026-10-04T09:00:00+08:00", ended_at="",
            ),
            port_operation(other_enterprise, "PO-3", started_at="2026-10-03T08:00:00+08:00", ended_at=""),
            # loading is outbound: never part of an inbound chain
            port_operation(enterprise, "PO-4", kind="loading", un_number="UN3480", quantity="500", unit="pcs",
                           started_at="2026-10-21T08:00:00+08:00", ended_at=""),
        ],
    )  # fmt: skip
    _run(
        emergency_officer,
        "storage-inventories",
        [
            inventory(enterprise, "甲类仓库A", as_of="2026-10-05T18:00:00+08:00"),
            inventory(enterprise, "甲类仓库B", un_number="UN1993", chemical_name="", quantity="19",
                      as_of="2026-10-06T18:00:00+08:00"),
            inventory(enterprise, "丙类仓库", un_number="UN3480", chemical_name="", quantity="480", unit="pcs",
                      as_of="2026-10-22T18:00:00+08:00"),
        ],
    )  # fmt: skip
    _run(
        transport_officer,
        "dangerous-goods-waybills",
        [
            waybill(enterprise, "WB-1", un_number="UN1203", quantity="12", departs_on="2026-10-08"),
            waybill(enterprise, "WB-2", un_number="UN1203", quantity="14", departs_on="2026-10-09"),
            waybill(enterprise, "WB-3", un_number="UN1993", quantity="19", departs_on="2026-10-09"),
            waybill(enterprise, "WB-4", un_number="UN3480", quantity="480", unit="pcs", departs_on="2026-10-25"),
            waybill(enterprise, "WB-OLD", un_number="UN1203", departs_on="2026-09-20"),  # before the declaration
            waybill(enterprise, "WB-EARLY", un_number="UN1203", departs_on="2026-10-04"),  # before it was stored
            waybill(other_enterprise, "WB-OTHER", un_number="UN1993", departs_on="2026-10-09"),
        ],
    )  # fmt: skip
    return enterprise


def _by_un(result):
    return {c.un_number: c for c in result}


class TestLinking:
    def test_links_by_un_number_and_dates(self, trail, enterprise_admin, django_assert_max_num_queries) -> None:
        with django_assert_max_num_queries(11):
            result = chains.cross_border_chains(actor=enterprise_admin, enterprise=trail)
        assert [c.un_number for c in result] == ["UN3480", "UN1203", "UN1993"]  # newest declaration first
        gasoline = _by_un(result)["UN1203"]
        assert gasoline.declaration.declaration_no == "020220261000000101"
        assert (gasoline.declaration.line_no, gasoline.declaration.quantity) == (1, Decimal("30.000"))
        assert [p.operation_no for p in gasoline.port_operations] == ["PO-1"]
        assert [s.warehouse for s in gasoline.storage] == ["甲类仓库A"]
        assert [w.waybill_no for w in gasoline.waybills] == ["WB-1", "WB-2"]  # not WB-OLD, WB-EARLY, other firms'
        assert gasoline.waybills[0].quantity == Decimal("12.000")  # the enterprise reads its own figures
        assert gasoline.complete
        assert gasoline.hidden_links == ()
        assert gasoline.missing_links == ()
        paint = _by_un(result)["UN1993"]
        assert paint.complete
        assert [p.yard_position for p in paint.port_operations] == ["D-07-3"]
        assert [w.waybill_no for w in paint.waybills] == ["WB-3"]

    def test_gap_makes_chain_incomplete(self, trail, enterprise_admin) -> None:
        batteries = _by_un(chains.cross_border_chains(actor=enterprise_admin, enterprise=trail))["UN3480"]
        assert batteries.port_operations == ()  # PO-4 is a loading: outbound
        assert [s.warehouse for s in batteries.storage] == ["丙类仓库"]
        assert [w.waybill_no for w in batteries.waybills] == ["WB-4"]
        assert not batteries.complete
        assert batteries.missing_links == ("port-operations",)

    def test_since_and_limit(self, trail, enterprise_admin) -> None:
        later = chains.cross_border_chains(actor=enterprise_admin, enterprise=trail, since=date(2026, 10, 10))
        assert [c.un_number for c in later] == ["UN3480"]
        assert len(chains.cross_border_chains(actor=enterprise_admin, enterprise=trail, limit=1)) == 1

    def test_latest_lines_skip_declarations_without_dangerous_goods(
        self, trail, customs_officer, enterprise_admin, django_assert_max_num_queries
    ) -> None:
        """The chain starts from the latest declarations that carry UN-numbered lines: newer declarations of plain
        goods (many of them) neither displace those nor add queries."""
        _run(customs_officer, "customs-declarations", [
            declaration(trail, f"0202202610000002{n:02d}", declared_on="2026-11-01",
                        goods=[{"line_no": 1, "hs_code": "39011000", "goods_name": "聚乙烯", "quantity": "5",
                                "unit": "t"}])
            for n in range(25)
        ])  # fmt: skip
        with django_assert_max_num_queries(11):
            result = chains.cross_border_chains(actor=enterprise_admin, enterprise=trail, limit=2)
        assert [(c.un_number, c.declaration.declaration_no) for c in result] == [
            ("UN3480", "020220261000000102"),
            ("UN1203", "020220261000000101"),
        ]

    def test_window_limits_port_operations(self, trail, maritime_officer, enterprise_admin) -> None:
        _run(maritime_officer, "port-operations", [
            port_operation(trail, "PO-LATE", started_at="2026-11-15T08:00:00+08:00", ended_at=""),  # 45 days on
        ])  # fmt: skip
        gasoline = _by_un(chains.cross_border_chains(actor=enterprise_admin, enterprise=trail))["UN1203"]
        assert [p.operation_no for p in gasoline.port_operations] == ["PO-1"]


class TestScoping:
    def test_other_department_sees_masked_quantities(self, trail, emergency_officer) -> None:
        gasoline = _by_un(chains.cross_border_chains(actor=emergency_officer, enterprise=trail))["UN1203"]
        assert gasoline.complete
        assert not isinstance(gasoline.waybills[0].quantity, Decimal)  # commercial figure, masked
        assert not isinstance(gasoline.port_operations[0].quantity, Decimal)
        assert gasoline.storage[0].quantity == Decimal("28.000")  # emergency owns the inventory rows

    def test_owner_department_reads_its_quantities(self, trail, transport_officer) -> None:
        gasoline = _by_un(chains.cross_border_chains(actor=transport_officer, enterprise=trail))["UN1203"]
        assert gasoline.waybills[0].quantity == Decimal("12.000")

    def test_association_and_other_enterprise_see_nothing(self, trail, association_staff, other_enterprise) -> None:
        from tests.accounts.factories import UserFactory

        assert chains.cross_border_chains(actor=association_staff, enterprise=trail) == []
        assert set(chains.hidden_datasets(actor=association_staff, enterprise=trail)) == set(chains.LINKS)
        stranger = UserFactory(
            username="other_admin", organisation=other_enterprise.organisation, roles=["enterprise_admin"]
        )
        assert chains.cross_border_chains(actor=stranger, enterprise=trail) == []

    def test_confidential_link_is_hidden_not_missing(
        self, trail, customs_reviewer, maritime_officer, monkeypatch
    ) -> None:
        spec = DATASETS["port-operations"]
        monkeypatch.setitem(
            DATASETS, "port-operations", dataclasses.replace(spec, classification=Classification.CONFIDENTIAL)
        )
        PortOperation.objects.update(classification=Classification.CONFIDENTIAL)
        gasoline = _by_un(chains.cross_border_chains(actor=customs_reviewer, enterprise=trail))["UN1203"]
        assert gasoline.hidden_links == ("port-operations",)
        assert gasoline.port_operations == ()
        assert gasoline.missing_links == ()  # hidden is not a gap
        assert not gasoline.complete
        owner_view = _by_un(chains.cross_border_chains(actor=maritime_officer, enterprise=trail))["UN1203"]
        assert owner_view.hidden_links == ()
        assert owner_view.complete


class TestCrossBorderQueries:
    def test_enterprise_ids_need_the_same_un_declared_and_carried(
        self, trail, other_enterprise, commander, association_staff
    ) -> None:
        ids = chains.cross_border_enterprise_ids(actor=commander, since=date(2026, 9, 1))
        assert list(Enterprise.objects.filter(pk__in=ids).values_list("pk", flat=True)) == [trail.pk]
        assert list(ids) == [trail.pk]  # distinct ids, one per enterprise
        # other_enterprise declared UN1203 but its waybill carried UN1993
        assert not chains.cross_border_enterprise_ids(actor=commander, since=date(2026, 11, 1)).exists()
        assert not chains.cross_border_enterprise_ids(actor=association_staff, since=None).exists()

    def test_summaries_in_fixed_queries(
        self, trail, other_enterprise, emergency_officer, transport_officer, django_assert_max_num_queries
    ) -> None:
        ids = [trail.pk, other_enterprise.pk]
        with django_assert_max_num_queries(4):
            summaries = chains.cross_border_summaries(actor=emergency_officer, enterprise_ids=ids, since=None)
        assert set(summaries) == {trail.pk}
        summary = summaries[trail.pk]
        assert summary.un_numbers == ("UN1203", "UN1993", "UN3480")
        assert summary.declarations == 3  # 101 (two DG lines), 102, and the export 104
        assert summary.waybills == 6  # WB-1..4, WB-OLD, WB-EARLY
        assert summary.declared_quantities == {"t": Decimal("53.000"), "pcs": Decimal("500.000")}
        assert summary.waybill_quantities is None  # masked for emergency management
        clear = chains.cross_border_summaries(actor=transport_officer, enterprise_ids=ids, since=date(2026, 10, 5))
        assert clear[trail.pk].waybill_quantities == {"pcs": Decimal("480.000")}
        assert clear[trail.pk].waybills == 1
        assert clear[trail.pk].declarations == 1  # only 102 is on or after 5 October
        assert clear[trail.pk].un_numbers == ("UN3480",)
