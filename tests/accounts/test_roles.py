"""Roles as permission groups (ROLE_SPECS is the one table), and what a person's roles make them."""

import pytest
from django.contrib.auth.models import Group, Permission

from ftzsafety.accounts.choices import OrganisationKind
from ftzsafety.accounts.roles import (
    ENTERPRISE_ROLES,
    GOVERNMENT_ROLES,
    PLATFORM_ROLES,
    ROLE_SPECS,
    Role,
    sync_role_groups,
)
from tests.accounts.factories import OrganisationFactory, UserFactory, department

BUSINESS_APPS = {"enterprises"}


def group_perms(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


@pytest.mark.django_db
class TestGroups:
    def test_every_role_has_a_spec_and_the_families_partition_them(self):
        assert set(ROLE_SPECS) == set(Role)
        assert set(Role) > GOVERNMENT_ROLES | PLATFORM_ROLES | ENTERPRISE_ROLES
        assert not GOVERNMENT_ROLES & PLATFORM_ROLES
        assert not GOVERNMENT_ROLES & ENTERPRISE_ROLES
        assert not PLATFORM_ROLES & ENTERPRISE_ROLES

    @pytest.mark.parametrize("role", list(Role))
    def test_groups_after_migrate_hold_exactly_the_spec(self, role):
        """Every declared permission exists (sync skips unknown ones silently, so a typo would show here)."""
        assert group_perms(role) == set(ROLE_SPECS[role].permissions)

    def test_sync_is_idempotent_and_removes_hand_added_permissions(self):
        officer = Group.objects.get(name=Role.OFFICER)
        officer.permissions.add(Permission.objects.get(codename="add_enterprise"))
        sync_role_groups()
        sync_role_groups()
        assert group_perms(Role.OFFICER) == set(ROLE_SPECS[Role.OFFICER].permissions)
        assert Group.objects.filter(name__in=[r.value for r in Role]).count() == len(Role)

    @pytest.mark.parametrize("role", sorted(PLATFORM_ROLES))
    def test_platform_administrators_hold_no_business_permission(self, role):
        """三员分立 (GB/T 22239-2019): system, security and audit administrators do not touch business data."""
        assert not {p for p in group_perms(role) if p.split(".")[0] in BUSINESS_APPS}

    def test_the_three_administrators_are_separate(self):
        system, security, audit = (group_perms(r) for r in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN))
        assert "audit.view_auditrecord" in audit
        assert "audit.view_auditrecord" not in system | security
        assert "accounts.add_user" in system
        assert "accounts.add_user" not in security | audit

    def test_who_keeps_the_registry(self):
        keepers = {r for r in Role if "enterprises.add_enterprise" in group_perms(r)}
        assert keepers == {Role.COMMANDER, Role.DEPARTMENT_HEAD}
        editors = {r for r in Role if "enterprises.change_enterprise" in group_perms(r)}
        assert editors == {Role.COMMANDER, Role.DEPARTMENT_HEAD, Role.ENTERPRISE_ADMIN}


@pytest.mark.django_db
class TestPersonFlags:
    def test_government_needs_a_government_organisation_and_role(self):
        emergency = department("emergency")
        assert UserFactory(organisation=emergency, roles=["officer"]).is_government
        assert not UserFactory(organisation=emergency, roles=[]).is_government
        association = OrganisationFactory(kind=OrganisationKind.ASSOCIATION)
        assert not UserFactory(organisation=association, roles=["officer"]).is_government

    def test_enterprise_user_needs_an_enterprise_organisation_and_role(self):
        firm = OrganisationFactory(kind=OrganisationKind.ENTERPRISE)
        assert UserFactory(organisation=firm, roles=["enterprise_staff"]).is_enterprise_user
        assert not UserFactory(organisation=firm, roles=[]).is_enterprise_user
        assert not UserFactory(organisation=department("customs"), roles=["enterprise_admin"]).is_enterprise_user

    def test_platform_admin_and_primary_role(self):
        platform = OrganisationFactory(kind=OrganisationKind.PLATFORM)
        admin = UserFactory(organisation=platform, roles=["audit_admin"])
        assert admin.is_platform_admin
        assert admin.primary_role == "audit_admin"
        # the first role in Role's declared order decides the home page
        both = UserFactory(organisation=department("zone_admin"), roles=["analyst", "commander"])
        assert both.primary_role == "commander"
        assert UserFactory(organisation=platform, roles=[]).primary_role is None

    def test_roles_are_read_once_per_instance(self, django_assert_num_queries):
        user = UserFactory(organisation=department("emergency"), roles=["officer", "reviewer"])
        user = type(user).objects.get(pk=user.pk)
        with django_assert_num_queries(1):
            assert user.role_names == {"officer", "reviewer"}
            assert user.has_role("reviewer", "commander")
            assert not user.has_role("commander")
            assert not user.is_platform_admin
