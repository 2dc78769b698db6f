"""`/api/v1/dangerous-goods/…` (lookup, search, segregation, reference tables) and `/api/v1/major-hazards/…`
(GB 18218-2018 assessment, an enterprise's units and their stored assessments). Handlers parse, call, return."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from ftzsafety.dangerous_goods import selectors, services
from ftzsafety.dangerous_goods.models import MajorHazardAssessment, MajorHazardUnit
from ftzsafety.dangerous_goods.schemas import (
    AssessIn,
    AssessmentOut,
    AssessOut,
    DangerousGoodOut,
    DangerousGoodSummary,
    DatasetOut,
    HazardClassOut,
    SearchQuery,
    SegregationIn,
    SegregationOut,
    UnitIn,
    UnitOut,
    UnitPatch,
)

router = Router(tags=["dangerous goods"])
major_hazards_router = Router(tags=["major-hazard installations"])
ERRORS = {400: dict, 403: dict, 404: dict, 409: dict, 422: dict}


@router.get("/un/{number}", response={200: DangerousGoodOut, **ERRORS}, summary="One UN number (1017 or UN1017)")
def dangerous_good_get(request: HttpRequest, number: str) -> Any:
    return selectors.dangerous_good_detail(actor=request.user, un_number=number)


@router.get("/search", response=list[DangerousGoodSummary], summary="Find entries by number, name, alias or CAS")
@paginate(LimitOffsetPagination)
def dangerous_good_search(request: HttpRequest, filters: Query[SearchQuery]) -> Any:
    return selectors.dangerous_good_search(actor=request.user, q=filters.q)


@router.post("/segregation", response={200: SegregationOut, **ERRORS}, summary="IMDG 7.2.4 segregation of items")
def segregation_check(request: HttpRequest, payload: SegregationIn) -> Any:
    items = [item.dict(exclude_none=True) for item in payload.items]
    answer = services.segregation_check(actor=request.user, items=items)
    editions = {d.code: d.edition for d in selectors.reference_dataset_list(actor=request.user)}
    return {
        "items": [
            {
                "ref": i.ref,
                "un_number": i.un_number,
                "name_zh": i.name_zh,
                "name_en": i.name_en,
                "hazard_class": i.hazard_class,
                "subsidiary_hazards": list(i.subsidiary_hazards),
            }
            for i in answer.items
        ],
        "pairs": [
            {
                "a": p.a,
                "b": p.b,
                "code": p.code,
                "name_zh": p.name_zh,
                "name_en": p.name_en,
                "meaning_zh": p.meaning_zh,
                "meaning_en": p.meaning_en,
                "decided_by": list(p.decided_by),
                "matrix_cell": list(p.cells),
                "conflict": p.conflict,
                "uncertain": p.uncertain,
                "note": p.note,
            }
            for p in answer.pairs
        ],
        "edition": editions.get("imdg_segregation", ""),
    }


@router.get("/classes", response=list[HazardClassOut], summary="Classes and divisions")
def hazard_class_list(request: HttpRequest) -> Any:
    return selectors.hazard_class_list(actor=request.user)


@router.get("/datasets", response=list[DatasetOut], summary="Reference lists: edition and source")
def dataset_list(request: HttpRequest) -> Any:
    return selectors.reference_dataset_list(actor=request.user)


# --- major hazards -----------------------------------------------------------------------------------------------


def _assessment_out(record: MajorHazardAssessment | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "id": record.pk,
        "unit_id": record.unit_id,
        "created_at": record.created_at,
        "S": float(record.s_value),
        "R": float(record.r_value) if record.r_value is not None else None,
        "alpha": float(record.alpha),
        "is_major": record.is_major,
        "grade": record.grade,
        "previous_grade": record.previous_grade,
        "grade_changed": record.grade_changed,
        "result": record.result,
        "inputs": record.inputs,
    }


def _unit_out(unit: MajorHazardUnit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "uscc": unit.enterprise.uscc,
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "description": unit.description,
        "exposed_population": unit.exposed_population,
        "classification": unit.classification,
        "is_major": unit.is_major,
        "grade": unit.grade,
        "last_assessed_at": unit.last_assessed_at,
        "inventories": [
            {
                "line": inv.position,
                "label": inv.label,
                "substance": inv.substance.name_zh if inv.substance_id else None,
                "table1_row": inv.substance.position if inv.substance_id else None,
                "category": inv.category_id,
                "quantity_t": float(inv.quantity_t),
            }
            for inv in unit.inventories.all()
        ],
        "latest_assessment": _assessment_out(getattr(unit, "latest_assessment", None)),
    }


@major_hazards_router.post("/assess", response={200: AssessOut, **ERRORS}, summary="GB 18218-2018 identification")
def major_hazard_assess(request: HttpRequest, payload: AssessIn) -> Any:
    return services.major_hazard_assess(
        actor=request.user,
        inventories=[line.dict(exclude_none=True) for line in payload.inventories],
        exposed_population=payload.exposed_population,
    )


@major_hazards_router.get(
    "/enterprises/{uscc}/units", response={200: list[UnitOut], **ERRORS}, summary="An enterprise's units"
)
def unit_list(request: HttpRequest, uscc: str) -> Any:
    from ftzsafety.enterprises.selectors import enterprise_get

    enterprise = enterprise_get(actor=request.user, uscc=uscc)
    return [_unit_out(u) for u in selectors.major_hazard_unit_list(actor=request.user, enterprise=enterprise)]


@major_hazards_router.post(
    "/enterprises/{uscc}/units", response={201: UnitOut, **ERRORS}, summary="Register a unit with its inventory"
)
def unit_create(request: HttpRequest, uscc: str, payload: UnitIn) -> Any:
    data = payload.dict(exclude_none=True)
    inventories = data.pop("inventories")
    unit = services.major_hazard_unit_create(actor=request.user, uscc=uscc, values=data, inventories=inventories)
    return Status(201, _unit_out(selectors.major_hazard_unit_get(actor=request.user, unit_id=unit.pk)))


@major_hazards_router.post(
    "/enterprises/{uscc}/assessments",
    response={201: list[AssessmentOut], **ERRORS},
    summary="Assess every unit of an enterprise and store the results",
)
def enterprise_assess(request: HttpRequest, uscc: str) -> Any:
    records = services.major_hazard_enterprise_assess(actor=request.user, uscc=uscc)
    return Status(201, [_assessment_out(r) for r in records])


@major_hazards_router.get("/units/{unit_id}", response={200: UnitOut, **ERRORS}, summary="One unit")
def unit_get(request: HttpRequest, unit_id: int) -> Any:
    return _unit_out(selectors.major_hazard_unit_get(actor=request.user, unit_id=unit_id))


@major_hazards_router.patch("/units/{unit_id}", response={200: UnitOut, **ERRORS}, summary="Change a unit")
def unit_update(request: HttpRequest, unit_id: int, payload: UnitPatch) -> Any:
    data = payload.dict(exclude_unset=True)
    inventories = data.pop("inventories", None)
    services.major_hazard_unit_update(actor=request.user, unit_id=unit_id, values=data, inventories=inventories)
    return _unit_out(selectors.major_hazard_unit_get(actor=request.user, unit_id=unit_id))


@major_hazards_router.post(
    "/units/{unit_id}/assessments", response={201: AssessmentOut, **ERRORS}, summary="Assess a unit and store it"
)
def unit_assess(request: HttpRequest, unit_id: int) -> Any:
    return Status(201, _assessment_out(services.major_hazard_unit_assess(actor=request.user, unit_id=unit_id)))


@major_hazards_router.get(
    "/units/{unit_id}/assessments", response={200: list[AssessmentOut], **ERRORS}, summary="A unit's assessments"
)
def unit_assessments(request: HttpRequest, unit_id: int) -> Any:
    unit = selectors.major_hazard_unit_get(actor=request.user, unit_id=unit_id)
    return [_assessment_out(r) for r in selectors.major_hazard_assessment_list(actor=request.user, unit=unit)[:100]]
