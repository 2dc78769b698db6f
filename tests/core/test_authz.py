"""`core.authz`: the one scoping function, and the permission checks built on it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ftzsafety.accounts.models import ApiToken, Organisation, User
from ftzsafety.core import authz
from ftzsafety.core.errors import NotFound, PermissionDenied
from ftzsafety.core.models import Classification
from ftzsafety.enterprises.models import Enterprise
from tests.accounts.factories import OrganisationFactory, UserFactory, department
from tests.enterprises.factories import EnterpriseFactory


@pytest.fixture
def rows(enterprise, other_enterprise, zone_admin_org):
    """Enterprises of every classification: two public (one is the `enterprise` fixture), one internal,
    one confidential owned by the zone administration and one confidential owned by customs."""
    return {
        "own": enterprise,
        "public": other_enterprise,
        "internal": EnterpriseFactory(classification=Classification.INTERNAL),
        "confidential_zone": EnterpriseFactory(classification=Classification.CONFIDENTIAL),
        "confidential_customs": EnterpriseFactory(
            classification=Classification.CONFIDENTIAL, owner=department("customs")
        ),
    }


def visible(actor, rows) -> set[str]:
    pks = set(authz.visible_to(actor, Enterprise.objects.all()).values_list("pk", flat=True))
    return {name for name, row in rows.items() if row.pk in pks}


ALL_BUT_CONFIDENTIAL = {"own", "public", "internal"}


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("commander", ALL_BUT_CONFIDENTIAL | {"confidential_zone"}),
        ("analyst", ALL_BUT_CONFIDENTIAL | {"confidential_zone"}),
        ("emergency_officer", ALL_BUT_CONFIDENTIAL),
        ("emergency_head", ALL_BUT_CONFIDENTIAL),
        ("customs_reviewer", ALL_BUT_CONFIDENTIAL | {"confidential_customs"}),
        ("enterprise_admin", {"own"}),
        ("enterprise_staff", {"own"}),
        ("association_staff", {"own", "public"}),
        ("agency_staff", {"own", "public"}),
        ("system_admin", set()),
        ("security_admin", set()),
        ("audit_admin", set()),
    ],
)
def test_visibility_by_role(request, rows, user, expected):
    assert visible(request.getfixturevalue(user), rows) == expected


def test_enterprise_sees_its_own_row_whatever_the_classification(rows, enterprise_admin):
    Enterprise.objects.filter(pk=rows["own"].pk).update(classification=Classification.CONFIDENTIAL)
    assert visible(enterprise_admin, rows) == {"own"}
    assert visible(User.objects.get(pk=enterprise_admin.pk), rows) == {"own"}


def test_association_loses_a_row_that_becomes_internal(rows, association_staff):
    Enterprise.objects.filter(pk=rows["public"].pk).update(classification=Classification.INTERNAL)
    assert visible(association_staff, rows) == {"own"}


def test_anonymous_inactive_and_roleless_people_see_nothing(rows, commander, zone_admin_org):
    assert visible(None, rows) == set()
    assert visible(AnonymousUser(), rows) == set()
    commander.is_active = False
    commander.save()
    assert visible(commander, rows) == set()
    assert visible(UserFactory(organisation=zone_admin_org), rows) == set()  # government organisation, no role
    assert visible(UserFactory(organisation=None, roles=["officer"]), rows) == set()


def test_a_government_role_outside_a_government_organisation_is_not_government(rows, enterprise):
    """An officer role granted by mistake to someone in an enterprise does not open the registry."""
    intruder = UserFactory(organisation=enterprise.organisation, roles=["officer"])
    assert not intruder.is_government
    assert visible(intruder, rows) <= {"own", "public"}
    assert "internal" not in visible(intruder, rows)


def test_get_visible_raises_not_found_for_invisible_and_missing_rows(rows, enterprise_admin, commander):
    assert authz.get_visible(enterprise_admin, Enterprise.objects.all(), pk=rows["own"].pk) == rows["own"]
    for name in ("public", "internal", "confidential_zone"):
        with pytest.raises(NotFound) as exc:
            authz.get_visible(enterprise_admin, Enterprise.objects.all(), pk=rows[name].pk)
        assert exc.value.status == 404
    invisible = str(_not_found(commander, rows["confidential_customs"].pk))
    missing = str(_not_found(commander, 10**9))
    assert invisible == missing  # a row you may not see is indistinguishable from one that does not exist


def _not_found(actor, pk) -> NotFound:
    with pytest.raises(NotFound) as exc:
        authz.get_visible(actor, Enterprise.objects.all(), pk=pk)
    return exc.value


def test_organisation_scope(enterprise, other_enterprise, commander, enterprise_admin, association_staff, system_admin):
    def codes(actor) -> set[str]:
        return set(authz.visible_to(actor, Organisation.objects.all()).values_list("code", flat=True))

    everything = set(Organisation.objects.values_list("code", flat=True))
    assert codes(commander) == everything
    assert codes(system_admin) == everything
    assert "ent-other" not in codes(enterprise_admin)
    assert {"ent-binhai-chem", "dept-zone_admin"} <= codes(enterprise_admin)
    assert not {"ent-binhai-chem", "ent-other"} & codes(association_staff)
    assert codes(None) == set()


def test_user_scope(commander, enterprise_admin, security_admin, system_admin, audit_admin):
    def names(actor) -> set[str]:
        return set(authz.visible_to(actor, User.objects.all()).values_list("username", flat=True))

    everyone = set(User.objects.values_list("username", flat=True))
    assert names(system_admin) == everyone
    assert names(security_admin) == everyone
    assert names(audit_admin) == {"audit_admin"}
    assert names(commander) == {"commander"}
    assert names(enterprise_admin) == {"enterprise_admin"}


def test_a_model_without_a_rule_is_refused_not_left_open(commander):
    with pytest.raises(LookupError, match=r"accounts\.ApiToken"):
        authz.visible_to(commander, ApiToken.objects.all())


class TestHasPerm:
    def test_role_permission(self, commander, emergency_officer, enterprise):
        assert authz.has_perm(commander, "enterprises.change_enterprise", enterprise)
        assert not authz.has_perm(emergency_officer, "enterprises.change_enterprise", enterprise)
        assert authz.has_perm(emergency_officer, "enterprises.view_enterprise")

    def test_enterprise_people_act_only_on_their_own_rows(self, enterprise_admin, enterprise, other_enterprise):
        assert authz.has_perm(enterprise_admin, "enterprises.change_enterprise", enterprise)
        assert not authz.has_perm(enterprise_admin, "enterprises.change_enterprise", other_enterprise)

    def test_inactive_and_anonymous_hold_nothing(self, commander, enterprise):
        assert not authz.has_perm(None, "enterprises.view_enterprise")
        assert not authz.has_perm(AnonymousUser(), "enterprises.view_enterprise")
        commander.is_active = False
        commander.save()
        assert not authz.has_perm(commander, "enterprises.change_enterprise", enterprise)

    def test_require_raises_permission_denied(self, emergency_officer, enterprise):
        with pytest.raises(PermissionDenied) as exc:
            authz.require(emergency_officer, "enterprises.change_enterprise", enterprise)
        assert exc.value.status == 403
        assert exc.value.extra == {"permission": "enterprises.change_enterprise"}
        authz.require(emergency_officer, "enterprises.view_enterprise", enterprise)


def test_platform_roles_hold_no_business_permission(system_admin, security_admin, audit_admin, enterprise):
    for admin in (system_admin, security_admin, audit_admin):
        for perm in ("enterprises.view_enterprise", "enterprises.add_enterprise", "enterprises.change_enterprise"):
            assert not authz.has_perm(admin, perm, enterprise), (admin, perm)


def test_register_scope_is_used_before_the_supervised_rule(commander, enterprise, other_enterprise):
    saved = authz._rules.get(Enterprise)
    try:

        @authz.register_scope(Enterprise)
        def _only_other(actor, qs):
            return qs.filter(pk=other_enterprise.pk)

        assert list(authz.visible_to(commander, Enterprise.objects.all())) == [other_enterprise]
    finally:
        authz._rules.pop(Enterprise, None)
        if saved is not None:
            authz._rules[Enterprise] = saved
    assert authz.visible_to(commander, Enterprise.objects.all()).count() == 2


def test_organisation_factory_defaults_do_not_make_government(db):
    """Guard for the table above: the default test organisation is an association, not a department."""
    assert not OrganisationFactory().is_government
