"""The reference lists in the back office: only reference editors change them, and every change is audited."""

from decimal import Decimal

import pytest

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import Conflict, PermissionDenied
from ftzsafety.dangerous_goods import services
from ftzsafety.dangerous_goods.models import NamedSubstance, ReferenceDataset, SegregationCell

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(request):
    def make(name):
        user = request.getfixturevalue(name)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        return user

    return make


def _change_form_data(substance: NamedSubstance, **changes) -> dict:
    data = {
        "position": substance.position,
        "name_zh": substance.name_zh,
        "aliases": '["液氯", "氯气"]',
        "extra_aliases": "[]",
        "cas_numbers": '["7782-50-5"]',
        "critical_quantity_t": str(substance.critical_quantity_t),
        "beta": str(substance.beta),
        "beta_note": "",
        "note": "",
        "un_links-TOTAL_FORMS": "0",
        "un_links-INITIAL_FORMS": str(substance.un_links.count()),
        "un_links-MIN_NUM_FORMS": "0",
        "un_links-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_a_department_head_edits_a_critical_quantity_and_it_is_audited(client, staff):
    head = staff("emergency_head")
    client.force_login(head)
    chlorine = NamedSubstance.objects.get(name_zh="氯")
    url = f"/admin/dangerous_goods/namedsubstance/{chlorine.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, _change_form_data(chlorine, critical_quantity_t="6"))
    assert response.status_code == 302, response.content.decode()[:2000]
    chlorine.refresh_from_db()
    assert chlorine.critical_quantity_t == Decimal(6)
    record = AuditRecord.objects.get(action="dangerous_goods.namedsubstance.update")
    assert record.actor_username == "emergency_head"
    assert record.before == {"critical_quantity_t": "5.0000"}
    assert record.after == {"critical_quantity_t": "6.0000"}
    assert ReferenceDataset.objects.get(code="gb18218_table1").edited_at is not None


def test_an_officer_may_look_but_not_change(client, staff):
    officer = staff("emergency_officer")
    client.force_login(officer)
    chlorine = NamedSubstance.objects.get(name_zh="氯")
    url = f"/admin/dangerous_goods/namedsubstance/{chlorine.pk}/change/"
    assert client.get(url).status_code == 200  # read-only view
    response = client.post(url, _change_form_data(chlorine, critical_quantity_t="6"))
    assert response.status_code == 403
    chlorine.refresh_from_db()
    assert chlorine.critical_quantity_t == 5
    assert not AuditRecord.objects.filter(action="dangerous_goods.namedsubstance.update").exists()


def test_a_segregation_cell_changes_with_its_mirror(client, staff):
    client.force_login(staff("commander"))
    cell = SegregationCell.objects.get(row="3", column="4.3")
    response = client.post(
        f"/admin/dangerous_goods/segregationcell/{cell.pk}/change/",
        {"code": "1", "uncertain": "on", "note": "older copies: 1"},
    )
    assert response.status_code == 302
    assert SegregationCell.objects.get(row="4.3", column="3").code_id == "1"
    assert AuditRecord.objects.filter(action="dangerous_goods.segregationcell.update").count() == 1


def test_services_refuse_non_editors_and_record_the_refusal(emergency_officer):
    chlorine = NamedSubstance.objects.get(name_zh="氯")
    chlorine.critical_quantity_t = Decimal(1)
    with pytest.raises(PermissionDenied):
        services.reference_record_save(actor=emergency_officer, instance=chlorine)
    assert NamedSubstance.objects.get(name_zh="氯").critical_quantity_t == 5
    assert AuditRecord.objects.filter(action="dangerous_goods.namedsubstance.update", outcome="denied").exists()


@pytest.mark.parametrize("who", ["system_admin", "security_admin", "audit_admin", "enterprise_admin"])
def test_platform_and_enterprise_people_are_not_reference_editors(request, who):
    cell = SegregationCell.objects.get(row="9", column="3")
    with pytest.raises(PermissionDenied):
        services.reference_record_save(actor=request.getfixturevalue(who), instance=cell)


def test_matrix_cells_cannot_be_deleted(emergency_head):
    with pytest.raises(Conflict):
        services.reference_record_delete(actor=emergency_head, instance=SegregationCell.objects.first())
    assert SegregationCell.objects.count() == 289


def test_a_substance_in_use_cannot_be_deleted(emergency_head, enterprise):
    services.major_hazard_unit_create(
        actor=emergency_head,
        uscc=enterprise.uscc,
        values={"code": "T-1", "name": "罐区", "kind": "storage", "exposed_population": 0},
        inventories=[{"substance": "氯", "quantity_t": 1}],
    )
    with pytest.raises(Conflict):
        services.reference_record_delete(actor=emergency_head, instance=NamedSubstance.objects.get(name_zh="氯"))
    assert NamedSubstance.objects.filter(name_zh="氯").exists()


def test_deleting_an_alias_link_is_audited_and_updates_search(emergency_head):
    from ftzsafety.dangerous_goods.models import DangerousGood, NamedSubstanceUN

    link = NamedSubstanceUN.objects.get(un_number="UN1017")
    services.reference_record_delete(actor=emergency_head, instance=link)
    assert "液氯" not in DangerousGood.objects.get(un_number="UN1017").search_text
    assert AuditRecord.objects.filter(action="dangerous_goods.namedsubstanceun.delete").exists()


def test_an_entry_edit_is_validated_and_refreshes_the_search(emergency_head):
    from ftzsafety.core.errors import ValidationFailed
    from ftzsafety.dangerous_goods.models import DangerousGood

    good = DangerousGood.objects.get(un_number="UN1017")
    good.hazard_class = "2.9"
    with pytest.raises(ValidationFailed) as failed:
        services.reference_record_save(actor=emergency_head, instance=good)
    assert "hazard_class" in failed.value.fields
    good = DangerousGood.objects.get(un_number="UN1017")
    good.name_en = "Chlorine (liquefied)"
    services.reference_record_save(actor=emergency_head, instance=good)
    assert "chlorine (liquefied)" in DangerousGood.objects.get(un_number="UN1017").search_text
    record = AuditRecord.objects.get(action="dangerous_goods.dangerousgood.update")
    assert record.after == {"name_en": "Chlorine (liquefied)"}
