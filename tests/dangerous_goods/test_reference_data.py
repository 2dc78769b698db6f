"""The shipped lists, loaded by the data migration: table-driven from REFERENCE.md, and the loader's idempotence."""

from decimal import Decimal

import pytest

from ftzsafety.audit.models import AuditRecord
from ftzsafety.dangerous_goods import services
from ftzsafety.dangerous_goods.assessment import Tables, match_substance
from ftzsafety.dangerous_goods.identifiers import cas_is_valid
from ftzsafety.dangerous_goods.loading import load_reference, manifest
from ftzsafety.dangerous_goods.models import (
    AlphaBand,
    DangerousGood,
    DangerousGoodVariant,
    GradeBand,
    HazardCategory,
    HazardClass,
    NamedSubstance,
    NamedSubstanceUN,
    ReferenceDataset,
    SegregationCell,
)

pytestmark = pytest.mark.django_db

# REFERENCE.md, "IMDG Code 7.2.4 segregation table" — as published there, † marking the disputed cells.
REFERENCE_MATRIX = """
| | 1.1/1.2/1.5 | 1.3/1.6 | 1.4 | 2.1 | 2.2 | 2.3 | 3 | 4.1 | 4.2 | 4.3 | 5.1 | 5.2 | 6.1 | 6.2 | 7 | 8 | 9 |
| 1.1/1.2/1.5 | * | * | * | 4 | 2 | 2 | 4 | 4 | 4 | 4 | 4 | 4 | 2 | 4 | 2 | 4 | X |
| 1.3/1.6 | * | * | * | 4 | 2 | 2 | 4 | 3 | 3 | 4 | 4 | 4 | 2 | 4 | 2 | 2 | X |
| 1.4 | * | * | * | 2 | 1 | 1 | 2 | 2 | 2 | 2 | 2 | 2 | X | 4 | 2 | 2 | X |
| 2.1 | 4 | 4 | 2 | X | X | X | 2 | 1 | 2 | 2† | 2 | 2 | X | 4 | 2 | 1 | X |
| 2.2 | 2 | 2 | 1 | X | X | X | 1 | X | 1 | X | X | 1 | X | 2 | 1 | X | X |
| 2.3 | 2 | 2 | 1 | X | X | X | 2 | X | 2 | X | X | 2 | X | 2 | 1 | X | X |
| 3 | 4 | 4 | 2 | 2 | 1 | 2 | X | X | 2 | 2† | 2 | 2 | X | 3 | 2 | X | X |
| 4.1 | 4 | 3 | 2 | 1 | X | X | X | X | 1 | X | 1 | 2 | X | 3 | 2 | 1 | X |
| 4.2 | 4 | 3 | 2 | 2 | 1 | 2 | 2 | 1 | X | 1 | 2 | 2 | 1 | 3 | 2 | 1 | X |
| 4.3 | 4 | 4 | 2 | 2† | X | X | 2† | X | 1 | X | 2 | 2 | X | 2 | 2 | 1 | X |
| 5.1 | 4 | 4 | 2 | 2 | X | X | 2 | 1 | 2 | 2 | X | 2 | 1 | 3 | 1 | 2 | X |
| 5.2 | 4 | 4 | 2 | 2 | 1 | 2 | 2 | 2 | 2 | 2 | 2 | X | 1 | 3 | 2 | 2 | X |
| 6.1 | 2 | 2 | X | X | X | X | X | X | 1 | X | 1 | 1 | X | 1 | X | X | X |
| 6.2 | 4 | 4 | 4 | 4 | 2 | 2 | 3 | 3 | 3 | 2 | 3 | 3 | 1 | X | 3 | 3 | X |
| 7 | 2 | 2 | 2 | 2 | 1 | 1 | 2 | 2 | 2 | 2 | 1 | 2 | X | 3 | X | 2 | X |
| 8 | 4 | 2 | 2 | 1 | X | X | X | 1 | 1 | 1 | 2 | 2 | X | 3 | 2 | X | X |
| 9 | X | X | X | X | X | X | X | X | X | X | X | X | X | X | X | X | X |
"""


def _reference_cells() -> list[tuple[str, str, str, bool]]:
    lines = [[c.strip() for c in line.strip().strip("|").split("|")] for line in REFERENCE_MATRIX.strip().splitlines()]
    header = lines[0][1:]
    return [
        (line[0], column, value.rstrip("†"), value.endswith("†"))
        for line in lines[1:]
        for column, value in zip(header, line[1:], strict=True)
    ]


@pytest.mark.parametrize(("row", "column", "code", "uncertain"), _reference_cells())
def test_matrix_cell_matches_reference(row, column, code, uncertain):
    cell = SegregationCell.objects.get(row=row, column=column)
    assert (cell.code_id, cell.uncertain) == (code, uncertain)
    if uncertain:
        assert "older copies" in cell.note


def test_matrix_is_complete_and_symmetric():
    cells = {(c.row, c.column): (c.code_id, c.uncertain) for c in SegregationCell.objects.all()}
    assert len(cells) == 17 * 17
    for (row, column), value in cells.items():
        assert cells[(column, row)] == value, (row, column)


# REFERENCE.md, GB 18218-2018 Table 1 rows it confirms: (name as a user types it, Q in tonnes).
CONFIRMED_TABLE1 = [
    ("氯", "5"),
    ("氨", "10"),
    ("液化石油气", "50"),
    ("汽油", "200"),
    ("甲醇", "500"),
    ("苯", "50"),
    ("硫化氢", "5"),
    ("光气", "0.3"),
    ("氰化氢", "1"),
    ("环氧乙烷", "10"),
    ("氢", "5"),
    ("甲烷", "50"),
    ("天然气", "50"),
    ("乙炔", "1"),
    ("二氧化硫", "20"),
    ("硝酸铵(含可燃物≤0.2%)", "50"),
    ("硝酸铵肥料(含可燃物≤0.4%)", "200"),
    ("氯化氢(无水)", "20"),
    ("甲苯", "500"),
    ("乙醇", "500"),
    ("乙醚", "10"),
    ("丙酮", "500"),
    ("苯乙烯", "500"),
    ("二硫化碳", "50"),
    ("1,3-丁二烯", "5"),
    ("氯乙烯", "50"),
    ("乙烯", "50"),
    ("异氰酸甲酯", "0.75"),
    ("钠", "10"),
    ("钾", "1"),
    ("碳化钙", "100"),
    ("氧", "200"),
]


@pytest.mark.parametrize(("typed", "quantity"), CONFIRMED_TABLE1)
def test_table1_confirmed_rows(typed, quantity):
    (substance,) = match_substance(typed, Tables.load())
    assert substance.critical_quantity_t == Decimal(quantity)


def test_ammonium_nitrate_rows_by_combustible_content():
    rows = {s.name_zh: s.critical_quantity_t for s in NamedSubstance.objects.filter(name_zh__startswith="硝酸铵")}
    assert rows["硝酸铵(含可燃物≤0.2%)"] == 50
    assert next(q for name, q in rows.items() if "含可燃物>0.2%" in name) == 5


def test_table1_has_85_rows_with_valid_cas_numbers():
    assert NamedSubstance.objects.count() == 85
    cas_numbers = [cas for s in NamedSubstance.objects.all() for cas in s.cas_numbers]
    assert len(cas_numbers) >= 82
    assert all(cas_is_valid(cas) for cas in cas_numbers)


# REFERENCE.md: Table 2 Q and the β of each category.
TABLE2 = {
    "J1": ("5", "4"), "J2": ("50", "1"), "J3": ("50", "2"), "J4": ("50", "2"), "J5": ("500", "1"),
    "W1.1": ("1", "2"), "W1.2": ("10", "2"), "W1.3": ("50", "2"), "W2": ("10", "1.5"), "W3": ("150", "1"),
    "W4": ("50", "1"), "W5.1": ("10", "1.5"), "W5.2": ("50", "1"), "W5.3": ("1000", "1"), "W5.4": ("5000", "1"),
    "W6.1": ("10", "1.5"), "W6.2": ("50", "1"), "W7.1": ("10", "1.5"), "W7.2": ("50", "1"), "W8": ("50", "1"),
    "W9.1": ("50", "1"), "W9.2": ("200", "1"), "W10": ("200", "1"), "W11": ("200", "1"),
}  # fmt: skip


@pytest.mark.parametrize(("code", "values"), TABLE2.items())
def test_table2_quantity_and_beta(code, values):
    category = HazardCategory.objects.get(code=code)
    assert (category.critical_quantity_t, category.beta) == (Decimal(values[0]), Decimal(values[1]))


def test_only_j5_is_marked_uncertain():
    assert list(HazardCategory.objects.filter(uncertain=True).values_list("code", flat=True)) == ["J5"]


# REFERENCE.md: β for named toxic gases (Table 3).
NAMED_BETA = [
    ("二氧化硫", "2"), ("氨", "2"), ("环氧乙烷", "2"), ("氯化氢(无水)", "3"), ("溴甲烷", "3"), ("氯", "4"),
    ("硫化氢", "5"), ("氟化氢", "5"), ("二氧化氮", "10"), ("氰化氢", "10"), ("碳酰氯", "20"), ("磷化氢", "20"),
    ("异氰酸甲酯", "20"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "beta"), NAMED_BETA)
def test_named_beta(name, beta):
    assert NamedSubstance.objects.get(name_zh=name).beta == Decimal(beta)


def test_carbon_monoxide_beta_applies_to_coal_gas_and_is_flagged():
    coal_gas = NamedSubstance.objects.get(name_zh__startswith="煤气")
    assert coal_gas.beta == 2
    assert coal_gas.beta_uncertain


@pytest.mark.parametrize(
    ("people", "alpha"), [(0, "0.5"), (1, "1.0"), (29, "1.0"), (30, "1.2"), (49, "1.2"), (50, "1.5"), (99, "1.5"),
                          (100, "2.0"), (5000, "2.0")],
)  # fmt: skip
def test_alpha_bands(people, alpha):
    assert Tables.load().alpha_for(people) == Decimal(alpha)


@pytest.mark.parametrize(
    ("r", "grade"), [("100", 1), ("250", 1), ("99.99", 2), ("50", 2), ("49.9", 3), ("10", 3), ("9.99", 4), ("0", 4)]
)
def test_grade_bands(r, grade):
    assert Tables.load().grade_for(Decimal(r)) == grade


def test_alpha_and_grade_tables_are_data():
    assert AlphaBand.objects.count() == 5
    assert GradeBand.objects.count() == 4


def test_classes_and_divisions_have_both_names():
    codes = set(HazardClass.objects.values_list("code", flat=True))
    assert {"1.1", "1.6", "2.1", "2.3", "3", "4.3", "5.2", "6.2", "7", "8", "9"} <= codes
    assert not HazardClass.objects.filter(name_zh="").exists()
    assert not HazardClass.objects.filter(name_en="").exists()
    assert HazardClass.objects.get(code="2.3").name_zh == "毒性气体"


def test_hazardous_chemical_by_class_rule():
    by_class = set(HazardClass.objects.filter(hazardous_chemical_by_class=True).values_list("code", flat=True))
    assert {"2.1", "2.2", "2.3", "3", "4.1", "4.2", "4.3", "5.1", "5.2", "6.1", "8"} <= by_class
    assert not by_class & {"1.1", "6.2", "7", "9"}


def test_un_list_joins_both_sources():
    assert DangerousGood.objects.count() > 2300
    ammonia = DangerousGood.objects.get(un_number="UN1005")
    # GB 12268 classifies anhydrous ammonia 2.3 (8); the US table's international variant agrees, its domestic one
    # (2.2) is not preferred.
    assert (ammonia.hazard_class, ammonia.subsidiary_hazards) == ("2.3", ["8"])
    assert ammonia.name_zh == "无水氨"
    preferred = DangerousGoodVariant.objects.get(good=ammonia, source="hmt", preferred=True)
    assert preferred.symbols == ["I"]
    assert ammonia.special_provisions == ["4", "379", "N87", "T50"]


def test_an_entry_only_in_the_us_table_keeps_its_us_classification():
    entry = DangerousGood.objects.get(un_number="UN3291")
    assert entry.in_hmt
    assert not entry.in_gb12268
    assert entry.hazard_class == "6.2"


def test_packing_groups_are_the_union_in_order():
    assert DangerousGood.objects.get(un_number="UN1170").packing_groups == ["II", "III"]
    assert DangerousGood.objects.get(un_number="UN2031").packing_groups == ["I", "II"]


@pytest.mark.parametrize("number", ["UN3090", "UN3091", "UN3480", "UN3481"])
def test_lithium_batteries_are_recognised(number):
    assert DangerousGood.objects.get(un_number=number).is_lithium_battery


def test_no_other_entry_is_a_lithium_battery():
    assert DangerousGood.objects.filter(is_lithium_battery=True).count() == 4


def test_every_dataset_records_its_edition_and_source():
    codes = {spec["code"] for spec in manifest()}
    datasets = {d.code: d for d in ReferenceDataset.objects.all()}
    assert codes <= set(datasets)
    for code in codes:
        assert datasets[code].edition
        assert datasets[code].source
        assert len(datasets[code].sha256) == 64
    assert datasets["gb12268"].edition == "GB 12268-2025"
    assert datasets["imdg_segregation"].uncertain


def test_loading_again_changes_nothing():
    counts = (DangerousGood.objects.count(), DangerousGoodVariant.objects.count(), NamedSubstanceUN.objects.count())
    results = load_reference()
    assert not any(r.loaded for r in results)
    forced = load_reference(force=True)
    assert all(r.loaded for r in forced)
    assert (
        DangerousGood.objects.count(),
        DangerousGoodVariant.objects.count(),
        NamedSubstanceUN.objects.count(),
    ) == counts
    assert DangerousGood.objects.get(un_number="UN1017").search_text


def test_an_audited_edit_survives_a_routine_reload_but_not_a_forced_one():
    cell = SegregationCell.objects.get(row="2.1", column="4.3")
    cell.code_id = "X"
    services.reference_record_save(actor=None, instance=cell)
    assert SegregationCell.objects.get(row="4.3", column="2.1").code_id == "X"  # kept symmetric
    assert ReferenceDataset.objects.get(code="imdg_segregation").edited_at is not None
    assert AuditRecord.objects.filter(action="dangerous_goods.segregationcell.update").count() == 1

    load_reference()
    assert SegregationCell.objects.get(row="2.1", column="4.3").code_id == "X"
    load_reference(force=True, only=["imdg_segregation"])
    assert SegregationCell.objects.get(row="2.1", column="4.3").code_id == "2"


def test_unknown_dataset_code_is_refused():
    with pytest.raises(ValueError, match="unknown dataset"):
        load_reference(only=["nope"])


def test_named_substance_list_filters_by_name_alias_or_cas(emergency_officer):
    from ftzsafety.dangerous_goods.selectors import named_substance_list

    assert [s.name_zh for s in named_substance_list(actor=emergency_officer, q="液氯")] == ["氯"]
    assert [s.name_zh for s in named_substance_list(actor=emergency_officer, q="7664-41-7")] == ["氨"]
    assert named_substance_list(actor=emergency_officer, q="").count() == 85
