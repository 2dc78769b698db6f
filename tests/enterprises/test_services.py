"""Registry writes: `enterprise_create` and `enterprise_update`. Every write asserts its audit row."""

from typing import Any

import pytest
from django.utils import translation

from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.errors import Conflict, PermissionDenied, ValidationFailed
from ftzsafety.enterprises.models import Enterprise
from ftzsafety.enterprises.services import enterprise_create, enterprise_update
from tests.enterprises.factories import ZoneAreaFactory, make_uscc

CREATE = "enterprises.enterprise.create"
UPDATE = "enterprises.enterprise.update"


def lithium_firm(**overrides: Any) -> dict[str, Any]:
    values = {
        "name_zh": "滨海锂电科技有限公司",
        "name_en": "Binhai Lithium Technology Co., Ltd.",
        "organisation_form": "limited_liability",
        "industry_section": "C",
        "industry_class": "3841",
        "area": "port",
        "address": "滨海自贸试验区新港路8号",
        "latitude": 38.96,
        "longitude": 117.74,
        "business_scope": "锂离子电池制造；电池销售",
    }
    values.update(overrides)
    return values


def audit_rows(action: str, **filters: Any) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(action=action, **filters))


def fields_of(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, list[str]]:
    return exc.value.fields


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English (the msgids); zh-hans is the default language."""
    with translation.override("en"):
        yield


@pytest.fixture
def port(zone_admin_org):
    return ZoneAreaFactory()


class TestEnterpriseCreate:
    def test_registers_and_audits(self, commander, port):
        code = make_uscc()
        enterprise = enterprise_create(actor=commander, uscc=code.lower(), values=lithium_firm())
        enterprise.refresh_from_db()
        assert enterprise.uscc == code
        assert enterprise.area == port
        assert enterprise.industry_class_id == "3841"
        assert enterprise.owner.department_code == "zone_admin"
        assert enterprise.created_by == commander
        assert enterprise.classification == "public"
        assert not enterprise.uscc_check_override
        [row] = audit_rows(CREATE)
        assert (row.outcome, row.actor_username, row.target_id) == ("ok", "commander", str(enterprise.pk))
        assert row.after["uscc"] == code
        assert row.after["name_zh"] == "滨海锂电科技有限公司"
        assert row.after["area"] == "port"
        assert row.detail == {"check_character_override": False}

    def test_department_head_may_register(self, emergency_head, port):
        enterprise_create(actor=emergency_head, uscc=make_uscc(), values=lithium_firm())
        assert audit_rows(CREATE, actor_username="emergency_head", outcome="ok")

    def test_minimal_record(self, commander, zone_admin_org):
        values = {"name_zh": "海运代理有限公司", "organisation_form": "limited_liability", "industry_section": "G"}
        enterprise = enterprise_create(actor=commander, uscc=make_uscc(), values=values)
        assert enterprise.area is None
        assert enterprise.latitude is None
        assert len(audit_rows(CREATE)) == 1

    def test_foreign_invested_with_iso_country(self, commander, port):
        values = lithium_firm(organisation_form="wfoe", foreign_invested=True, investor_country="de")
        enterprise = enterprise_create(actor=commander, uscc=make_uscc(), values=values)
        enterprise.refresh_from_db()
        assert enterprise.foreign_invested
        assert enterprise.investor_country.code == "DE"
        [row] = audit_rows(CREATE)
        assert row.after["investor_country"] == "DE"

    @pytest.mark.parametrize("missing", ["name_zh", "organisation_form", "industry_section"])
    def test_required_fields(self, commander, port, missing):
        values = lithium_firm(industry_class=None, **{missing: ""})
        with pytest.raises(ValidationFailed) as exc:
            enterprise_create(actor=commander, uscc=make_uscc(), values=values)
        assert missing in fields_of(exc)
        assert not Enterprise.objects.exists()
        assert not audit_rows(CREATE)

    def test_every_bad_field_is_reported_at_once(self, commander, port):
        values = lithium_firm(
            organisation_form="company", industry_section="Z", area="moon", latitude=91, longitude=200, bogus=1
        )
        with pytest.raises(ValidationFailed) as exc:
            enterprise_create(actor=commander, uscc="9144030019220382", values=values)
        assert set(fields_of(exc)) == {
            "uscc",
            "organisation_form",
            "industry_section",
            "area",
            "latitude",
            "longitude",
            "bogus",
        }
        assert "18" in fields_of(exc)["uscc"][0]
        assert "“moon”" in fields_of(exc)["area"][0]
        assert "90" in fields_of(exc)["latitude"][0]
        assert "180" in fields_of(exc)["longitude"][0]
        assert not Enterprise.objects.exists()

    @pytest.mark.parametrize(
        ("code", "kind_words"),
        [
            ("914403001922038217", "“6”"),  # check character, expected named
            ("9144030019220S8216", "14"),  # forbidden character, position named
            ("91440300192203821", "17"),  # length, count named
        ],
    )
    def test_bad_credit_code_names_the_problem(self, commander, port, code, kind_words):
        with pytest.raises(ValidationFailed) as exc:
            enterprise_create(actor=commander, uscc=code, values=lithium_firm())
        assert exc.value.status == 422
        [message] = fields_of(exc)["uscc"]
        assert kind_words in message
        assert message == exc.value.message  # the credit code is the headline when it is wrong
        assert not Enterprise.objects.exists()

    @pytest.mark.parametrize(
        ("overrides", "field", "words"),
        [
            ({"organisation_form": "wfoe", "foreign_invested": False}, "foreign_invested", "foreign"),
            ({"organisation_form": "sino_foreign_jv"}, "foreign_invested", "foreign"),
            ({"foreign_invested": True}, "investor_country", "country"),
            ({"foreign_invested": True, "investor_country": "XX"}, "investor_country", "ISO 3166"),
            ({"foreign_invested": True, "investor_country": "DEU"}, "investor_country", "ISO 3166"),
            ({"investor_country": "JP"}, "investor_country", "foreign-invested"),
            ({"industry_section": "G", "industry_class": "3841"}, "industry_class", "section C"),
            ({"industry_class": "9999"}, "industry_class", "9999"),
            ({"latitude": 38.9, "longitude": None}, "latitude", "both"),
            ({"latitude": None, "longitude": 117.7}, "latitude", "both"),
            ({"latitude": "north"}, "latitude", "number"),
            ({"latitude": float("nan")}, "latitude", "between"),
            ({"longitude": -180.5}, "longitude", "between"),
            ({"name_zh": "   "}, "name_zh", "required"),
            ({"name_zh": "长" * 201}, "name_zh", "200"),
            ({"classification": "secret"}, "classification", "public"),
        ],
    )
    def test_rules(self, commander, port, overrides, field, words):
        with pytest.raises(ValidationFailed) as exc:
            enterprise_create(actor=commander, uscc=make_uscc(), values=lithium_firm(**overrides))
        assert field in fields_of(exc), fields_of(exc)
        assert words in " ".join(fields_of(exc)[field])
        assert not Enterprise.objects.exists()
        assert not audit_rows(CREATE)

    def test_lat_lng_bounds_are_inclusive(self, commander, port):
        enterprise = enterprise_create(
            actor=commander, uscc=make_uscc(), values=lithium_firm(latitude=-90, longitude=180)
        )
        assert (enterprise.latitude, enterprise.longitude) == (-90.0, 180.0)

    def test_duplicate_code_is_a_conflict(self, commander, enterprise):
        with pytest.raises(Conflict) as exc:
            enterprise_create(actor=commander, uscc=enterprise.uscc.lower(), values=lithium_firm(area=""))
        assert exc.value.status == 409
        assert exc.value.code == "duplicate_uscc"
        assert exc.value.extra == {"uscc": enterprise.uscc}
        assert Enterprise.objects.filter(uscc=enterprise.uscc).count() == 1
        assert not audit_rows(CREATE)

    @pytest.mark.parametrize(
        "actor", ["emergency_officer", "customs_reviewer", "analyst", "enterprise_admin", "association_staff"]
    )
    def test_only_registry_keepers_register(self, request, port, actor):
        with pytest.raises(PermissionDenied) as exc:
            enterprise_create(actor=request.getfixturevalue(actor), uscc=make_uscc(), values=lithium_firm())
        assert exc.value.status == 403
        assert Enterprise.objects.filter(name_zh="滨海锂电科技有限公司").count() == 0
        assert not audit_rows(CREATE, outcome="ok")

    def test_denied_attempt_is_audited(self, emergency_officer, port):
        code = make_uscc()
        with pytest.raises(PermissionDenied):
            enterprise_create(actor=emergency_officer, uscc=code, values=lithium_firm())
        [row] = audit_rows(CREATE)
        assert (row.outcome, row.actor_username, row.detail["uscc"]) == ("denied", "emergency_officer", code)


class TestCheckCharacterOverride:
    """GB 32100-2015 pilot-region codes: an explicit, audited override for a failed check character only."""

    def test_registry_keeper_overrides_and_it_is_recorded(self, commander, port):
        enterprise = enterprise_create(
            actor=commander, uscc="914403001922038217", values=lithium_firm(), override_check_character=True
        )
        enterprise.refresh_from_db()
        assert enterprise.uscc == "914403001922038217"
        assert enterprise.uscc_check_override
        [row] = audit_rows(CREATE)
        assert row.detail == {"check_character_override": True}
        assert row.outcome == "ok"

    def test_override_on_a_sound_code_is_not_marked(self, commander, port):
        enterprise = enterprise_create(
            actor=commander, uscc=make_uscc(), values=lithium_firm(), override_check_character=True
        )
        assert not enterprise.uscc_check_override
        assert audit_rows(CREATE)[0].detail == {"check_character_override": False}

    @pytest.mark.parametrize("code", ["9144030019220382", "9144030019220S8216", "91350100M000100Y4Z"])
    def test_override_never_admits_bad_length_or_characters(self, commander, port, code):
        with pytest.raises(ValidationFailed) as exc:
            enterprise_create(actor=commander, uscc=code, values=lithium_firm(), override_check_character=True)
        assert "uscc" in fields_of(exc)
        assert not Enterprise.objects.exists()

    @pytest.mark.parametrize("actor", ["emergency_officer", "enterprise_admin"])
    def test_others_may_not_override(self, request, port, actor):
        with pytest.raises(PermissionDenied):
            enterprise_create(
                actor=request.getfixturevalue(actor),
                uscc="914403001922038217",
                values=lithium_firm(),
                override_check_character=True,
            )
        assert not Enterprise.objects.filter(uscc="914403001922038217").exists()
        [row] = audit_rows(CREATE)
        assert row.outcome == "denied"
        assert row.detail == {"uscc": "914403001922038217", "override_check_character": True}


class TestEnterpriseUpdate:
    def test_changes_are_audited_with_changed_fields_only(self, commander, enterprise):
        ZoneAreaFactory(code="bonded", name_zh="保税物流园区", kind="bonded_logistics")
        updated = enterprise_update(
            actor=commander,
            uscc=enterprise.uscc,
            values={"address": "港口大道2号", "area": "bonded", "name_zh": enterprise.name_zh},
        )
        enterprise.refresh_from_db()
        assert enterprise.address == "港口大道2号"
        assert enterprise.area.code == "bonded"
        assert updated.pk == enterprise.pk
        [row] = audit_rows(UPDATE)
        assert row.outcome == "ok"
        assert row.target_id == str(enterprise.pk)
        assert row.before == {"address": "滨海自贸试验区港口大道1号", "area": "port"}
        assert row.after == {"address": "港口大道2号", "area": "bonded"}

    def test_nothing_changed_writes_no_audit_row(self, commander, enterprise):
        before = Enterprise.objects.get(pk=enterprise.pk).updated_at
        enterprise_update(
            actor=commander, uscc=enterprise.uscc, values={"address": f"  {enterprise.address} ", "latitude": "38.97"}
        )
        assert not audit_rows(UPDATE)
        assert Enterprise.objects.get(pk=enterprise.pk).updated_at == before

    def test_becoming_foreign_invested(self, commander, enterprise):
        enterprise_update(
            actor=commander,
            uscc=enterprise.uscc,
            values={"foreign_invested": True, "investor_country": "SG", "organisation_form": "sino_foreign_jv"},
        )
        [row] = audit_rows(UPDATE)
        assert row.before == {
            "foreign_invested": False,
            "investor_country": "",
            "organisation_form": "limited_liability",
        }
        assert row.after == {"foreign_invested": True, "investor_country": "SG", "organisation_form": "sino_foreign_jv"}

    def test_rules_are_judged_on_the_record_after_the_change(self, commander, enterprise):
        """The stored section is G: a class from section C is refused unless the section changes too."""
        with pytest.raises(ValidationFailed) as exc:
            enterprise_update(actor=commander, uscc=enterprise.uscc, values={"industry_class": "3841"})
        assert "section C" in fields_of(exc)["industry_class"][0]
        with pytest.raises(ValidationFailed) as exc:
            enterprise_update(actor=commander, uscc=enterprise.uscc, values={"latitude": None})
        assert "latitude" in fields_of(exc)
        with pytest.raises(ValidationFailed):
            enterprise_update(actor=commander, uscc=enterprise.uscc, values={"foreign_invested": True})
        assert not audit_rows(UPDATE)
        enterprise_update(
            actor=commander, uscc=enterprise.uscc, values={"industry_class": "3841", "industry_section": "C"}
        )
        assert audit_rows(UPDATE)[0].after == {"industry_class": "3841", "industry_section": "C"}

    def test_the_code_cannot_change(self, commander, enterprise):
        for new in (make_uscc(), "not-a-code"):
            with pytest.raises(ValidationFailed) as exc:
                enterprise_update(actor=commander, uscc=enterprise.uscc, values={"uscc": new, "address": "x"})
            assert "uscc" in fields_of(exc)
        assert Enterprise.objects.get(pk=enterprise.pk).address == "滨海自贸试验区港口大道1号"
        # repeating the same code (any case) is harmless
        enterprise_update(actor=commander, uscc=enterprise.uscc, values={"uscc": enterprise.uscc.lower()})
        assert not audit_rows(UPDATE)

    def test_enterprise_admin_edits_self_service_fields(self, enterprise_admin, enterprise):
        enterprise_update(
            actor=enterprise_admin, uscc=enterprise.uscc, values={"name_en": "Binhai Chem", "business_scope": "仓储"}
        )
        [row] = audit_rows(UPDATE)
        assert row.actor_username == "enterprise_admin"
        assert row.after == {"business_scope": "仓储", "name_en": "Binhai Chem"}

    @pytest.mark.parametrize("field_value", [("name_zh", "改名有限公司"), ("industry_section", "C"), ("area", "")])
    def test_enterprise_admin_may_not_touch_registry_fields(self, enterprise_admin, enterprise, field_value):
        field, value = field_value
        before = Enterprise.objects.filter(pk=enterprise.pk).values().get()
        with pytest.raises(PermissionDenied) as exc:
            enterprise_update(actor=enterprise_admin, uscc=enterprise.uscc, values={field: value, "address": "x"})
        assert field in exc.value.extra["fields"]
        assert Enterprise.objects.filter(pk=enterprise.pk).values().get() == before
        assert not audit_rows(UPDATE, outcome="ok")
        assert audit_rows(UPDATE, outcome="denied")

    def test_unknown_field_is_a_validation_error(self, commander, enterprise):
        with pytest.raises(ValidationFailed) as exc:
            enterprise_update(actor=commander, uscc=enterprise.uscc, values={"owner": 1})
        assert fields_of(exc) == {"owner": ["Unknown field."]}
