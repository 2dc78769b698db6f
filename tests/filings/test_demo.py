"""The demo's filing history: created through the services (audited), labelled demo, and showing parallel review
at about half the sequential time; seeding again adds nothing."""

import pytest

from ftzsafety.audit.models import AuditRecord
from ftzsafety.demo.filings import seed_filings
from ftzsafety.demo.seed import seed_demo
from ftzsafety.filings.models import Destination, Filing
from ftzsafety.filings.selectors import filing_metrics

pytestmark = pytest.mark.django_db


def test_demo_history(settings):
    from ftzsafety.accounts.models import User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo()
    filings = Filing.objects.all()
    assert filings.count() >= 30
    assert not filings.filter(is_demo=False).exists()
    assert Destination.objects.filter(is_demo=True).count() == 4
    statuses = set(filings.values_list("status", flat=True))
    assert {"approved", "rejected", "in_review"} <= statuses
    submits = AuditRecord.objects.filter(action="filings.filing.submit").count()
    assert submits >= filings.count()  # every filing went through filing_submit, some twice
    metrics = filing_metrics(actor=User.objects.get(username="analyst"))
    assert metrics["count"] >= 25
    assert metrics["mean_parallel_hours"] < metrics["mean_sequential_hours"]
    assert metrics["reduction"] >= 0.4
    assert seed_filings() == {"destinations": 0, "filings": 0}
