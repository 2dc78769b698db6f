"""Seed the demo zone through the services, so that the audit trail records it like any other change.

Everything is created by `actor=None` (the system) and marked `is_demo`. Seeding is one transaction: it either
completes or leaves nothing. With `force`, rows that already exist (same code, department, user name or credit
code) are left as they are, so running it twice changes nothing the second time.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from ftzsafety import audit
from ftzsafety.accounts.models import Organisation, User
from ftzsafety.accounts.services import SYSTEM_USERNAME, organisation_create, totp_assign_demo_secret, user_create
from ftzsafety.demo.credit import seed_credit
from ftzsafety.demo.documents import seed_documents
from ftzsafety.demo.enterprises import EnterprisePlan, account_enterprise, plan_enterprises
from ftzsafety.demo.exchange_data import seed_exchange_data
from ftzsafety.demo.filings import seed_filings
from ftzsafety.demo.hazards import seed_hazards
from ftzsafety.demo.people import people_for
from ftzsafety.demo.zone import AREAS, DEMO_PASSWORD, ENTERPRISE_ACCOUNT, ORGANISATIONS, USERS, OrganisationSpec
from ftzsafety.enterprises.choices import ContactRole
from ftzsafety.enterprises.models import Enterprise, ZoneArea
from ftzsafety.enterprises.services import contact_set, enterprise_create


class DemoRefused(Exception):
    """The database already holds organisations and `force` was not given."""


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)
    by_sector: Counter = field(default_factory=Counter)
    by_area: Counter = field(default_factory=Counter)
    foreign: int = 0
    enterprises: int = 0

    def count(self, kind: str, created: bool) -> None:
        (self.created if created else self.existing)[kind] += 1


def database_has_organisations() -> bool:
    return Organisation.objects.exists()


def seed_demo(*, force: bool = False) -> SeedReport:
    """Create the demo zone. Refuses (DemoRefused) when organisations exist, unless `force`."""
    if not force and database_has_organisations():
        raise DemoRefused("the database already has organisations")
    with transaction.atomic():
        report = SeedReport()
        plans = plan_enterprises()
        _seed_areas(report)
        organisations = _seed_organisations(report)
        _seed_enterprises(plans, report)
        organisations[ENTERPRISE_ACCOUNT] = _seed_enterprise_account(account_enterprise(plans), report)
        _seed_users(organisations, report)
        seed_exchange_data(plans=plans, account_uscc=account_enterprise(plans).uscc, report=report)
        seed_documents(report)
        seed_credit(report, account_uscc=account_enterprise(plans).uscc)  # before filings: grades set their order
        seed_filings(report)
        seed_hazards(report)
    return report


def _seed_areas(report: SeedReport) -> None:
    """Zone areas are reference data with no service yet; they are written here with their audit record."""
    for spec in AREAS:
        if ZoneArea.objects.filter(code=spec.code).exists():
            report.count("areas", created=False)
            continue
        area = ZoneArea.objects.create(
            code=spec.code,
            kind=spec.kind,
            name_zh=spec.name_zh,
            name_en=spec.name_en,
            boundary=spec.boundary,
            is_demo=True,
        )
        audit.record(
            actor=None,
            username=SYSTEM_USERNAME,
            action="enterprises.zone_area.create",
            target=area,
            classification="public",
            after={"code": spec.code, "kind": spec.kind, "name_zh": spec.name_zh, "name_en": spec.name_en},
        )
        report.count("areas", created=True)


def _existing_organisation(spec: OrganisationSpec) -> Organisation | None:
    if spec.department_code:
        found = Organisation.objects.filter(department_code=spec.department_code).first()
        if found is not None:
            return found
    return Organisation.objects.filter(code=spec.code).first()


def _seed_organisations(report: SeedReport) -> dict[str, Organisation]:
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        organisation = _existing_organisation(spec)
        report.count("organisations", created=organisation is None)
        if organisation is None:
            organisation = organisation_create(
                actor=None,
                kind=spec.kind,
                code=spec.code,
                name_zh=spec.name_zh,
                name_en=spec.name_en,
                department_code=spec.department_code,
                parent=organisations.get(spec.parent),
                is_demo=True,
            )
        organisations[spec.code] = organisation
    return organisations


def _seed_enterprises(plans: list[EnterprisePlan], report: SeedReport) -> None:
    existing = set(Enterprise.objects.filter(uscc__in=[p.uscc for p in plans]).values_list("uscc", flat=True))
    for plan in plans:
        if plan.uscc in existing:
            report.count("enterprises", created=False)
        else:
            enterprise_create(actor=None, uscc=plan.uscc, values=plan.values, is_demo=True)
            _seed_contacts(plan.uscc)
            report.count("enterprises", created=True)
        report.enterprises += 1
        report.by_sector[plan.sector] += 1
        report.by_area[plan.values["area"]] += 1
        report.foreign += bool(plan.values["foreign_invested"])


def _seed_contacts(uscc: str) -> None:
    """Legal representative and safety manager: confidential, stored encrypted (the dump shows no ID or phone)."""
    roles = (ContactRole.LEGAL_REPRESENTATIVE, ContactRole.SAFETY_MANAGER)
    for role, person in zip(roles, people_for(uscc, len(roles)), strict=True):
        contact_set(
            actor=None,
            uscc=uscc,
            role=role,
            name=person.name,
            resident_id=person.resident_id,
            phone=person.phone,
            is_demo=True,
        )


def _seed_enterprise_account(plan: EnterprisePlan, report: SeedReport) -> Organisation:
    """The account organisation of one hazardous-chemicals trader, linked to its registry entry."""
    enterprise = Enterprise.objects.select_related("organisation").get(uscc=plan.uscc)
    if enterprise.organisation is not None:
        report.count("organisations", created=False)
        return enterprise.organisation
    code = f"ent-{plan.uscc.lower()}"
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is None:
        organisation = organisation_create(
            actor=None,
            kind="enterprise",
            code=code,
            name_zh=plan.values["name_zh"],
            name_en=plan.values["name_en"],
            is_demo=True,
        )
        report.count("organisations", created=True)
    else:
        report.count("organisations", created=False)
    # The registry has no service for linking an account yet; this is that write, audited the same way.
    Enterprise.objects.filter(pk=enterprise.pk).update(organisation=organisation)
    audit.record(
        actor=None,
        username=SYSTEM_USERNAME,
        action="enterprises.enterprise.link_account",
        target=enterprise,
        classification=enterprise.classification,
        before={"organisation": None},
        after={"organisation": organisation.code},
    )
    return organisation


def _seed_users(organisations: dict[str, Organisation], report: SeedReport) -> None:
    for spec in USERS:
        if User.objects.filter(username__iexact=spec.username).exists():
            report.count("users", created=False)
            continue
        user = user_create(
            actor=None,
            username=spec.username,
            organisation=organisations[spec.organisation],
            roles=[spec.role],
            password=DEMO_PASSWORD,
            full_name=spec.full_name,
            is_demo=True,
        )
        if user.requires_second_factor:
            totp_assign_demo_secret(user=user)
        report.count("users", created=True)
