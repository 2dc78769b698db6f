"""The demo zone: deterministic, valid codes, realistic mix, points inside their areas, one user per role.

The zone is seeded once for this module (inside a transaction rolled back at the end); each test runs in a
savepoint on top of it.
"""

from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

import pytest
from django.db import transaction
from django.test import override_settings

from ftzsafety.accounts.models import Organisation, User
from ftzsafety.accounts.roles import ROLE_SPECS, Role
from ftzsafety.audit.models import AuditRecord
from ftzsafety.core.codes import org_code_check_character, uscc_is_valid
from ftzsafety.demo.enterprises import plan_enterprises
from ftzsafety.demo.seed import SeedReport, seed_demo
from ftzsafety.demo.zone import DEMO_PASSWORD, ZONE_NAME_EN, ZONE_NAME_ZH
from ftzsafety.enterprises.models import Enterprise, ZoneArea

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # Argon2 is slow on purpose; not what is tested


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker) -> Iterator[SeedReport]:
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield seed_demo()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    """Even-odd ray casting, written here independently of the generator's own."""
    crossings = 0
    for (x1, y1), (x2, y2) in pairwise(ring):
        if (y1 > lat) != (y2 > lat):
            x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            crossings += lon < x_cross
    return crossings % 2 == 1


def test_the_same_seed_gives_the_same_credit_codes(seeded: SeedReport, db: None) -> None:
    first, second = plan_enterprises(), plan_enterprises()
    assert [p.uscc for p in first] == [p.uscc for p in second]
    assert [p.values for p in first] == [p.values for p in second]
    stored = set(Enterprise.objects.values_list("uscc", flat=True))
    assert stored == {p.uscc for p in first}
    assert [p.uscc for p in plan_enterprises(seed=1)] != [p.uscc for p in first]  # the seed does matter


def test_about_300_enterprises_all_with_valid_credit_codes(seeded: SeedReport, db: None) -> None:
    codes = list(Enterprise.objects.values_list("uscc", flat=True))
    assert 280 <= len(codes) <= 320
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert uscc_is_valid(code), code
        assert code[2:8] == "120116"  # a real coastal district
        assert org_code_check_character(code[8:16]) == code[16], f"{code}: GB 11714 organisation code check"
    assert not Enterprise.objects.filter(uscc_check_override=True).exists()
    assert not Enterprise.objects.filter(is_demo=False).exists()


def test_about_a_third_foreign_invested_with_fitting_forms_and_countries(seeded: SeedReport, db: None) -> None:
    total = Enterprise.objects.count()
    foreign = Enterprise.objects.filter(foreign_invested=True)
    assert 0.27 <= foreign.count() / total <= 0.40
    assert set(foreign.values_list("organisation_form", flat=True)) == {"wfoe", "sino_foreign_jv"}
    countries = Counter(str(c) for c in foreign.values_list("investor_country", flat=True))
    assert "" not in countries
    assert len(countries) >= 8
    assert {"DE", "JP", "KR", "US", "SG"} <= set(countries)
    domestic = Enterprise.objects.filter(foreign_invested=False)
    assert not domestic.exclude(investor_country="").exists()
    assert not domestic.filter(organisation_form__in=["wfoe", "sino_foreign_jv"]).exists()


def test_industries_are_the_realistic_mix(seeded: SeedReport, db: None) -> None:
    classes = Counter(Enterprise.objects.values_list("industry_class_id", flat=True))
    for code in ("5942", "5169", "5162", "5821", "5532", "5521", "3841", "3922", "3981", "3311", "3360", "3484"):
        assert classes[code] > 0, code
    for code in ("5292", "5193", "2710", "2761", "7340"):
        assert classes[code] > 0, code
    assert classes["5942"] >= 20  # hazardous-chemicals storage is the zone's main risk
    mismatched = [e.uscc for e in Enterprise.objects.select_related("industry_class") if
                  e.industry_class.section != e.industry_section]  # fmt: skip
    assert mismatched == []


def test_areas_are_three_non_overlapping_polygons_near_the_zone_centre(seeded: SeedReport, db: None) -> None:
    areas = {a.kind: a for a in ZoneArea.objects.all()}
    assert set(areas) == {"port", "bonded_logistics", "manufacturing"}
    assert areas["port"].name_zh == "港口作业区"
    assert areas["bonded_logistics"].name_zh == "保税物流园区"
    assert areas["manufacturing"].name_zh == "先进制造产业园"
    rings = {kind: area.boundary["coordinates"][0] for kind, area in areas.items()}
    for kind, ring in rings.items():
        assert areas[kind].boundary["type"] == "Polygon"
        assert ring[0] == ring[-1], f"{kind}: ring not closed"
        lons, lats = [p[0] for p in ring], [p[1] for p in ring]
        assert 117.65 < min(lons) < max(lons) < 117.85
        assert 38.92 < min(lats) < max(lats) < 39.03
        width_km, height_km = (max(lons) - min(lons)) * 86.6, (max(lats) - min(lats)) * 111.0
        assert 1.5 < width_km < 8, kind  # a few km across
        assert 1.5 < height_km < 8, kind
    for kind, ring in rings.items():
        for other, other_ring in rings.items():
            if other != kind:
                assert not any(inside(lon, lat, other_ring) for lon, lat in ring), f"{kind} overlaps {other}"


def test_every_enterprise_point_lies_inside_its_area(seeded: SeedReport, db: None) -> None:
    outside = [
        e.uscc
        for e in Enterprise.objects.select_related("area")
        if not inside(e.longitude, e.latitude, e.area.boundary["coordinates"][0])
    ]
    assert outside == []
    by_area = Counter(Enterprise.objects.values_list("area__kind", "industry_class_id"))
    assert all(kind == "port" for (kind, cls) in by_area if cls in {"5942", "5532", "5521"})
    assert all(kind == "manufacturing" for (kind, cls) in by_area if cls in {"3841", "2761", "3311"})
    assert all(kind == "bonded_logistics" for (kind, cls) in by_area if cls in {"5292", "5193"})


def test_names_addresses_and_scopes_are_filled_and_unique(seeded: SeedReport, db: None) -> None:
    rows = list(Enterprise.objects.values("name_zh", "name_en", "address", "business_scope"))
    assert len({r["name_zh"] for r in rows}) == len(rows)
    assert len({r["name_en"] for r in rows}) == len(rows)
    assert all(r["name_zh"].endswith("公司") and r["name_en"] and r["address"] and r["business_scope"] for r in rows)
    assert all(r["address"].startswith("滨海自贸试验区") and r["address"].endswith("号") for r in rows)


def test_organisations_departments_and_partners(seeded: SeedReport, db: None) -> None:
    assert not Organisation.objects.filter(is_demo=False).exists()
    zone = Organisation.objects.get(department_code="zone_admin")
    assert zone.kind == "zone_administration"
    assert zone.name_zh.startswith("滨海自贸试验区")
    departments = Organisation.objects.filter(kind="department")
    assert set(departments.values_list("department_code", flat=True)) == {
        "emergency", "customs", "maritime", "market", "commerce", "transport", "ecology", "fire",
    }  # fmt: skip
    assert all(d.parent_id == zone.pk and d.name_en for d in departments)
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds >= {"platform", "association", "agency", "expert_pool", "foreign_agency", "peer_zone", "port", "park"}
    assert ZONE_NAME_ZH == "滨海自贸试验区（演示）"
    assert ZONE_NAME_EN == "Binhai Free Trade Zone (demo)"


def test_one_demo_user_per_role_in_a_fitting_organisation(seeded: SeedReport, db: None) -> None:
    users = list(User.objects.filter(is_demo=True).select_related("organisation").prefetch_related("groups"))
    roles = Counter(role for user in users for role in user.role_names)
    assert set(roles) == set(Role.values)
    for user in users:
        assert len(user.role_names) == 1
        (role,) = user.role_names
        assert user.organisation.kind in ROLE_SPECS[role].org_kinds, user.username
        assert user.check_password(DEMO_PASSWORD)
        assert user.full_name
    by_name = {u.username: u for u in users}
    assert by_name["emergency_officer"].organisation.department_code == "emergency"
    assert by_name["customs_reviewer"].organisation.department_code == "customs"
    assert roles["officer"] >= 3  # extra officers in other departments
    company = by_name["enterprise_admin"].organisation
    assert by_name["enterprise_staff"].organisation == company
    assert company.enterprise.industry_class_id == "5169"  # a hazardous-chemicals trader with an account


def test_everything_is_on_the_audit_trail_as_the_system(seeded: SeedReport, db: None) -> None:
    created = AuditRecord.objects.filter(action="enterprises.enterprise.create", outcome="ok")
    assert created.count() == Enterprise.objects.count()
    assert set(created.values_list("actor_username", flat=True)) == {"system"}
    # every demo account (the logins of zone.USERS and those other demo modules add) is created by the system
    assert (
        AuditRecord.objects.filter(action="accounts.user.create", actor_username="system").count()
        == User.objects.filter(is_demo=True).count()
    )
    assert AuditRecord.objects.filter(action="accounts.organisation.create").count() == Organisation.objects.count()
    assert AuditRecord.objects.filter(action="enterprises.zone_area.create").count() == 3
    assert not AuditRecord.objects.exclude(outcome="ok").exists()


@override_settings(PASSWORD_HASHERS=FAST_HASHER)
def test_force_on_a_seeded_database_changes_nothing(seeded: SeedReport, db: None) -> None:
    audit_rows = AuditRecord.objects.count()
    report = seed_demo(force=True)
    assert sum(report.created.values()) == 0
    assert report.existing["enterprises"] == Enterprise.objects.count()
    assert AuditRecord.objects.count() == audit_rows
