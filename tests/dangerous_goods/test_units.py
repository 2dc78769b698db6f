"""An enterprise's major-hazard units: registration, stored assessments, audited grade changes, and who may do what."""

import pytest
from django.utils import translation

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ftzsafety.dangerous_goods import selectors, services
from ftzsafety.dangerous_goods.models import MajorHazardAssessment, MajorHazardUnit, UnitInventory

pytestmark = pytest.mark.django_db

TANK_FARM = {"code": "T-01", "name": "液氯储罐区", "kind": "storage", "exposed_population": 60}
CHLORINE_AMMONIA = [{"substance": "氯", "quantity_t": 3}, {"cas": "7664-41-7", "quantity_t": 6}]


def _create(actor, enterprise, values=None, inventories=None):
    return services.major_hazard_unit_create(
        actor=actor, uscc=enterprise.uscc, values=values or dict(TANK_FARM), inventories=inventories or CHLORINE_AMMONIA
    )


class TestUnitCreate:
    def test_an_enterprise_registers_its_own_unit(self, enterprise_admin, enterprise):
        unit = _create(enterprise_admin, enterprise)
        assert unit.owner_id == enterprise.organisation_id
        assert unit.classification == "internal"
        lines = list(unit.inventories.order_by("position"))
        assert [(i.substance.name_zh, str(i.quantity_t)) for i in lines] == [("氯", "3.000000"), ("氨", "6.000000")]
        record = AuditRecord.objects.get(action="dangerous_goods.major_hazard_unit.create")
        assert record.target_id == str(unit.pk)
        assert record.after["inventories"][0]["substance"] == "氯"

    def test_a_category_line_is_stored_with_its_category(self, emergency_officer, enterprise):
        unit = _create(
            emergency_officer, enterprise, inventories=[{"substance": "丙烯", "category": "W2", "quantity_t": 4}]
        )
        line = unit.inventories.get()
        assert (line.substance, line.category_id, line.label) == (None, "W2", "丙烯")

    def test_invalid_input_writes_nothing(self, enterprise_admin, enterprise):
        with translation.override("en"), pytest.raises(ValidationFailed) as failed:
            _create(
                enterprise_admin,
                enterprise,
                values={**TANK_FARM, "kind": "tank", "exposed_population": -1},
                inventories=[{"substance": "氯", "quantity_t": -3}],
            )
        assert {"kind", "exposed_population", "inventories[0].quantity_t"} <= set(failed.value.fields)
        assert not MajorHazardUnit.objects.exists()
        assert not UnitInventory.objects.exists()

    def test_a_duplicate_code_is_a_conflict(self, enterprise_admin, enterprise):
        _create(enterprise_admin, enterprise)
        with pytest.raises(Conflict):
            _create(enterprise_admin, enterprise)
        assert MajorHazardUnit.objects.count() == 1

    @pytest.mark.parametrize("who", ["enterprise_staff", "association_staff", "analyst", "customs_reviewer"])
    def test_others_may_not_register_and_the_refusal_is_audited(self, request, enterprise, who):
        actor = request.getfixturevalue(who)
        with pytest.raises(PermissionDenied):
            _create(actor, enterprise)
        assert not MajorHazardUnit.objects.exists()
        assert AuditRecord.objects.filter(action="dangerous_goods.major_hazard_unit.create", outcome="denied").exists()

    def test_another_enterprise_is_not_even_visible(self, enterprise_admin, other_enterprise):
        with pytest.raises(NotFound):
            _create(enterprise_admin, other_enterprise)
        assert not MajorHazardUnit.objects.exists()

    def test_platform_administrators_see_no_enterprise(self, system_admin, enterprise):
        with pytest.raises(NotFound):
            _create(system_admin, enterprise)


class TestUnitAssess:
    def test_the_assessment_is_stored_and_the_first_grade_audited(self, enterprise_admin, enterprise):
        unit = _create(enterprise_admin, enterprise)
        record = services.major_hazard_unit_assess(actor=enterprise_admin, unit_id=unit.pk)
        assert (float(record.s_value), record.is_major, record.grade, float(record.r_value)) == (1.2, True, 4, 5.4)
        assert record.inputs["exposed_population"] == 60
        assert record.result["lines"][0]["Q"] == 5
        unit.refresh_from_db()
        assert (unit.is_major, unit.grade) == (True, 4)
        change = AuditRecord.objects.get(action="dangerous_goods.major_hazard_unit.grade_change")
        assert change.before == {"is_major": None, "grade": None}
        assert change.after == {"is_major": True, "grade": 4}
        assert AuditRecord.objects.filter(action="dangerous_goods.major_hazard_assessment.create").count() == 1

    def test_an_unchanged_grade_is_not_a_grade_change(self, emergency_officer, enterprise):
        unit = _create(emergency_officer, enterprise)
        services.major_hazard_unit_assess(actor=emergency_officer, unit_id=unit.pk)
        second = services.major_hazard_unit_assess(actor=emergency_officer, unit_id=unit.pk)
        assert not second.grade_changed
        assert AuditRecord.objects.filter(action="dangerous_goods.major_hazard_unit.grade_change").count() == 1
        assert MajorHazardAssessment.objects.filter(unit=unit).count() == 2

    def test_a_larger_inventory_raises_the_grade_and_is_audited(self, emergency_officer, enterprise):
        unit = _create(emergency_officer, enterprise, values={**TANK_FARM, "exposed_population": 120})
        services.major_hazard_unit_assess(actor=emergency_officer, unit_id=unit.pk)
        services.major_hazard_unit_update(
            actor=emergency_officer, unit_id=unit.pk, values={}, inventories=[{"substance": "液氯", "quantity_t": 70}]
        )
        record = services.major_hazard_unit_assess(actor=emergency_officer, unit_id=unit.pk)
        # R = 2.0 × 4 × 70 / 5 = 112 → grade 1
        assert (record.grade, record.previous_grade, record.grade_changed) == (1, 4, True)
        change = AuditRecord.objects.filter(action="dangerous_goods.major_hazard_unit.grade_change").latest("id")
        assert (change.before["grade"], change.after["grade"]) == (4, 1)
        update = AuditRecord.objects.get(action="dangerous_goods.major_hazard_unit.update")
        assert update.after["inventories"][0]["quantity_t"] == "70.000000"

    def test_a_unit_falling_below_the_threshold_loses_its_grade(self, emergency_officer, enterprise):
        unit = _create(emergency_officer, enterprise)
        services.major_hazard_unit_assess(actor=emergency_officer, unit_id=unit.pk)
        services.major_hazard_unit_update(
            actor=emergency_officer, unit_id=unit.pk, values={}, inventories=[{"substance": "氯", "quantity_t": 1}]
        )
        record = services.major_hazard_unit_assess(actor=emergency_officer, unit_id=unit.pk)
        assert (record.is_major, record.grade, record.grade_changed) == (False, None, True)

    def test_staff_may_not_assess_and_nothing_changes(self, enterprise_admin, enterprise_staff, enterprise):
        unit = _create(enterprise_admin, enterprise)
        with pytest.raises(PermissionDenied):
            services.major_hazard_unit_assess(actor=enterprise_staff, unit_id=unit.pk)
        assert not MajorHazardAssessment.objects.exists()
        unit.refresh_from_db()
        assert unit.grade is None

    def test_every_unit_of_an_enterprise(self, emergency_head, enterprise):
        _create(emergency_head, enterprise)
        _create(emergency_head, enterprise, values={**TANK_FARM, "code": "P-01", "kind": "production"},
                inventories=[{"substance": "甲醇", "quantity_t": 10}])  # fmt: skip
        records = services.major_hazard_enterprise_assess(actor=emergency_head, uscc=enterprise.uscc)
        assert sorted((r.unit.code, r.is_major) for r in records) == [("P-01", False), ("T-01", True)]


class TestVisibility:
    def test_government_and_the_enterprise_see_the_units(self, enterprise_admin, enterprise, analyst, enterprise_staff):
        _create(enterprise_admin, enterprise)
        for actor in (analyst, enterprise_staff, enterprise_admin):
            assert len(selectors.major_hazard_unit_list(actor=actor, enterprise=enterprise)) == 1

    def test_an_association_sees_no_internal_units(self, enterprise_admin, enterprise, association_staff):
        _create(enterprise_admin, enterprise)
        assert selectors.major_hazard_unit_list(actor=association_staff, enterprise=enterprise) == []

    def test_summary_for_the_profile(self, enterprise_admin, enterprise, analyst):
        unit = _create(enterprise_admin, enterprise)
        services.major_hazard_unit_assess(actor=enterprise_admin, unit_id=unit.pk)
        summary = selectors.enterprise_major_hazard_summary(actor=analyst, enterprise=enterprise)
        assert (summary.major_count, summary.highest_grade, summary.can_manage) == (1, 4, False)
        assert summary.units[0].latest_assessment.result["S"] == 1.2

    def test_the_list_costs_a_fixed_number_of_queries(
        self, emergency_officer, enterprise, django_assert_max_num_queries
    ):
        for n in range(5):
            unit = _create(emergency_officer, enterprise, values={**TANK_FARM, "code": f"T-{n:02d}"})
            services.major_hazard_unit_assess(actor=emergency_officer, unit_id=unit.pk)
        with django_assert_max_num_queries(6):
            units = selectors.major_hazard_unit_list(actor=emergency_officer, enterprise=enterprise)
            assert [len(u.inventories.all()) for u in units] == [2] * 5
            assert all(u.latest_assessment for u in units)


class TestUnitApi:
    def test_create_list_assess(self, api_client, enterprise_admin, enterprise):
        client = api_client(enterprise_admin)
        base = f"/api/v1/major-hazards/enterprises/{enterprise.uscc}"
        created = client.post(
            f"{base}/units", {**TANK_FARM, "inventories": CHLORINE_AMMONIA}, content_type="application/json"
        )
        assert created.status_code == 201, created.content
        unit = created.json()
        assert [line["substance"] for line in unit["inventories"]] == ["氯", "氨"]
        assessed = client.post(f"/api/v1/major-hazards/units/{unit['id']}/assessments")
        assert assessed.status_code == 201
        assert (assessed.json()["S"], assessed.json()["grade"]) == (1.2, 4)
        listed = client.get(f"{base}/units").json()
        assert listed[0]["grade"] == 4
        assert listed[0]["latest_assessment"]["result"]["is_major"] is True
        history = client.get(f"/api/v1/major-hazards/units/{unit['id']}/assessments").json()
        assert len(history) == 1

    def test_patch_replaces_the_inventory(self, api_client, emergency_officer, enterprise):
        unit = _create(emergency_officer, enterprise)
        response = api_client(emergency_officer).patch(
            f"/api/v1/major-hazards/units/{unit.pk}",
            {"exposed_population": 5, "inventories": [{"category": "W5.3", "quantity_t": 200}]},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        assert response.json()["exposed_population"] == 5
        assert response.json()["inventories"] == [
            {"line": 1, "label": "W5.3", "substance": None, "table1_row": None, "category": "W5.3", "quantity_t": 200.0}
        ]

    def test_errors(self, api_client, enterprise_admin, enterprise, other_enterprise, enterprise_staff):
        client = api_client(enterprise_admin)
        bad = client.post(
            f"/api/v1/major-hazards/enterprises/{enterprise.uscc}/units",
            {
                **TANK_FARM,
                "inventories": [{"substance": "氯", "quantity_t": 3}, {"substance": "？？", "quantity_t": 1}],
            },
            content_type="application/json",
        )
        assert bad.status_code == 422
        assert "inventories[1].substance" in bad.json()["detail"]["fields"]
        hidden = client.get(f"/api/v1/major-hazards/enterprises/{other_enterprise.uscc}/units")
        assert hidden.status_code == 404
        unit = _create(enterprise_admin, enterprise)
        denied = api_client(enterprise_staff).post(f"/api/v1/major-hazards/units/{unit.pk}/assessments")
        assert denied.status_code == 403
        assert api_client(enterprise_admin).get("/api/v1/major-hazards/units/999999").status_code == 404
