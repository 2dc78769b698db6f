"""The demo department data: imported through records_import, labelled demo, deterministic, and giving the demo
enterprise account two complete cross-border chains and one incomplete one."""

from collections.abc import Iterator
from datetime import date

import pytest
from django.db import transaction
from django.test import override_settings

from ftzsafety.accounts.models import User
from ftzsafety.audit.models import AuditRecord
from ftzsafety.dangerous_goods.models import DangerousGood
from ftzsafety.demo.enterprises import account_enterprise, plan_enterprises
from ftzsafety.demo.exchange_data import build_rows, seed_exchange_data
from ftzsafety.demo.seed import SeedReport, seed_demo
from ftzsafety.enterprises.models import Enterprise
from ftzsafety.exchange import chains
from ftzsafety.exchange.datasets import DATASETS
from ftzsafety.exchange.models import CustomsGoodsLine, ImportJob, PendingRegistration, ResolutionCase

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def test_every_dataset_imported_as_demo_through_jobs(seeded: SeedReport, db: None) -> None:
    counts = {slug: spec.model.objects.count() for slug, spec in DATASETS.items()}
    assert all(n >= 100 for n in counts.values()), counts
    assert 2500 <= sum(counts.values()) <= 8000, counts
    assert {slug: seeded.created[slug] for slug in DATASETS} == counts
    jobs = ImportJob.objects.all()
    assert jobs.count() == 7
    assert all(j.is_demo and j.source_name.startswith("demo: ") and j.rejected == 0 for j in jobs)
    for spec in DATASETS.values():
        assert not spec.model.objects.filter(is_demo=False).exists()
        assert not spec.model.objects.filter(import_job__isnull=True).exists()
    assert AuditRecord.objects.filter(action="exchange.import.run", outcome="ok").count() == 7
    owners = {j.dataset: j.owner.department_code for j in jobs}
    assert owners["transport-tracks"] == "transport"
    assert owners["port-operations"] == "maritime"
    assert owners["safety-licences"] == "emergency"


def test_real_un_numbers(seeded: SeedReport, db: None) -> None:
    used = set(CustomsGoodsLine.objects.exclude(un_number="").values_list("un_number", flat=True))
    assert {"UN1203", "UN1993", "UN3480"} <= used
    assert used <= set(DangerousGood.objects.values_list("un_number", flat=True))


def test_account_enterprise_chains(seeded: SeedReport, db: None) -> None:
    admin = User.objects.get(username="enterprise_admin")
    firm = Enterprise.objects.get(organisation=admin.organisation)
    result = {c.un_number: c for c in chains.cross_border_chains(actor=admin, enterprise=firm)}
    assert result["UN1203"].complete
    assert len(result["UN1203"].waybills) == 3
    assert result["UN1993"].complete
    assert not result["UN3480"].complete
    assert result["UN3480"].missing_links == ("dangerous-goods-waybills",)
    commander = User.objects.get(username="commander")
    ids = chains.cross_border_enterprise_ids(actor=commander, since=None)
    assert firm.pk in set(ids)
    assert 20 <= ids.count() <= 300


def test_resolution_and_pending_registrations(seeded: SeedReport, db: None) -> None:
    assert PendingRegistration.objects.filter(status="open").exists()
    assert ResolutionCase.objects.filter(status="open").exists()
    waiting = sum(spec.model.objects.filter(enterprise__isnull=True).count() for spec in DATASETS.values())
    assert 2 <= waiting <= 10


def test_deterministic_and_seeded_once(seeded: SeedReport, db: None) -> None:
    plans = plan_enterprises()
    firms = {f.uscc: f for f in Enterprise.objects.all()}
    account = account_enterprise(plans).uscc
    day = date(2026, 11, 29)
    assert build_rows(plans, firms, account, day) == build_rows(plans, firms, account, day)
    assert seed_exchange_data(plans=plans, account_uscc=account) == {}  # already seeded: nothing written
    assert ImportJob.objects.count() == 7
