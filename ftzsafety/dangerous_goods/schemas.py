from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict


class ClassInfo(Schema):
    code: str
    name_zh: str
    name_en: str


class Gb18218Out(Schema):
    table1_row: int
    name_zh: str
    aliases: list[str]
    cas_numbers: list[str]
    critical_quantity_t: float = Field(..., description="GB 18218-2018 Table 1 critical quantity Q, tonnes")
    beta: float | None = Field(None, description="Correction factor β of Table 3 (named toxic gases), else null")
    beta_uncertain: bool
    note: str
    edition: str


class HazardousChemicalStatus(Schema):
    value: bool
    basis: str = Field(..., description="`catalogue` (imported 危险化学品目录) or `class_rule` (REFERENCE.md)")
    entry_no: int | None = None
    highly_toxic: bool | None = None


class VariantOut(Schema):
    source: str
    name: str
    hazard_class: str
    subsidiary_hazards: list[str]
    packing_group: str
    special_provisions: list[str]
    symbols: list[str]
    preferred: bool


class SourceOut(Schema):
    code: str
    title: str
    edition: str


class DangerousGoodOut(Schema):
    un_number: str = Field(..., examples=["UN1017"])
    name_zh: str
    name_en: str
    hazard_class: str
    hazard_class_info: ClassInfo | None
    subsidiary_hazards: list[str]
    subsidiary_hazard_info: list[ClassInfo]
    packing_groups: list[str]
    special_provisions: list[str]
    is_lithium_battery: bool
    lithium_chemistry: str
    gb18218: Gb18218Out | None
    hazardous_chemical: HazardousChemicalStatus
    variants: list[VariantOut]
    sources: list[SourceOut]


class DangerousGoodSummary(Schema):
    un_number: str
    name_zh: str
    name_en: str
    hazard_class: str
    subsidiary_hazards: list[str]
    packing_groups: list[str]
    is_lithium_battery: bool


class SearchQuery(Schema):
    q: str = Field("", max_length=200, description="UN number, Chinese or English name, alias or CAS number")


class SegregationItemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ref: str | None = Field(None, max_length=60, description="Your reference for the item; defaults to its position")
    un_number: str | None = Field(None, examples=["1203"])
    hazard_class: str | None = Field(None, examples=["5.1"])
    subsidiary_hazards: list[str] = Field(default_factory=list)


class SegregationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    items: list[SegregationItemIn]


class SegregationItemOut(Schema):
    ref: str
    un_number: str
    name_zh: str
    name_en: str
    hazard_class: str
    subsidiary_hazards: list[str]


class SegregationPairOut(Schema):
    a: str
    b: str
    code: str = Field(..., description="1 2 3 4 X or * (IMDG Code 7.2.4)")
    name_zh: str
    name_en: str
    meaning_zh: str
    meaning_en: str
    decided_by: list[str] = Field(..., description="The classes of a and b whose cell decided")
    matrix_cell: list[str]
    conflict: bool = Field(..., description="False only for X")
    uncertain: bool = Field(..., description="The deciding cell is disputed (marked † in REFERENCE.md)")
    note: str


class SegregationOut(Schema):
    items: list[SegregationItemOut]
    pairs: list[SegregationPairOut]
    edition: str


class InventoryLineIn(Schema):
    model_config = ConfigDict(extra="forbid")

    substance: str | None = Field(None, description="Table 1 name, alias, CAS or UN number", examples=["氯"])
    cas: str | None = Field(None, examples=["7664-41-7"])
    category: str | None = Field(None, description="GB 18218-2018 Table 2 category", examples=["W5.3"])
    quantity_t: float | None = Field(None, description="Maximum quantity present, tonnes (> 0)")


class AssessIn(Schema):
    model_config = ConfigDict(extra="forbid")

    inventories: list[InventoryLineIn]
    exposed_population: int | None = Field(None, description="People within 500 m of the site boundary")


class AssessmentLineOut(Schema):
    line: int
    substance: str
    input: str
    matched: str
    table1_row: int | None
    cas: str
    category: str | None
    quantity_t: float
    Q: float
    beta: float
    beta_basis: str
    beta_uncertain: bool
    q_over_Q: float
    beta_q_over_Q: float


class AssessOut(Schema):
    standard: str
    S: float
    is_major: bool
    exposed_population: int
    alpha: float
    sum_beta_q_over_Q: float
    R: float | None
    grade: int | None
    lines: list[AssessmentLineOut]
    notes: list[str]


class UnitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(..., max_length=32)
    name: str = Field(..., max_length=200)
    kind: str = Field(..., description="production | storage")
    description: str = ""
    exposed_population: int | None = None
    classification: str | None = None
    inventories: list[InventoryLineIn]


class UnitPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str | None = None
    name: str | None = None
    kind: str | None = None
    description: str | None = None
    exposed_population: int | None = None
    classification: str | None = None
    inventories: list[InventoryLineIn] | None = None


class InventoryOut(Schema):
    line: int
    label: str
    substance: str | None
    table1_row: int | None
    category: str | None
    quantity_t: float


class AssessmentOut(Schema):
    id: int
    unit_id: int
    created_at: datetime
    S: float
    R: float | None
    alpha: float
    is_major: bool
    grade: int | None
    previous_grade: int | None
    grade_changed: bool
    result: dict[str, Any]
    inputs: dict[str, Any]


class UnitOut(Schema):
    id: int
    uscc: str
    code: str
    name: str
    kind: str
    description: str
    exposed_population: int
    classification: str
    is_major: bool | None
    grade: int | None
    last_assessed_at: datetime | None
    inventories: list[InventoryOut]
    latest_assessment: AssessmentOut | None


class DatasetOut(Schema):
    code: str
    title_zh: str
    title_en: str
    edition: str
    source: str
    note: str
    uncertain: bool
    row_count: int
    loaded_at: datetime | None
    edited_at: datetime | None


class HazardClassOut(Schema):
    code: str
    class_number: str
    name_zh: str
    name_en: str
    hazardous_chemical_by_class: bool
