"""Transactional tests (the browser tests) flush the database afterwards; the append-only triggers must let the
test suite's flush through (tests/conftest.py opens the purge gate for it) and nothing else."""

import pytest
from django.core.management import call_command

from ftzsafety import audit
from ftzsafety.audit.models import AuditRecord


@pytest.mark.django_db(transaction=True)
def test_records_written_in_a_transactional_test_are_flushed_afterwards() -> None:
    audit.record(actor=None, action="test.thing.op")
    call_command("audit_checkpoint")
    assert AuditRecord.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_previous_transactional_test_left_nothing() -> None:
    assert not AuditRecord.objects.exists()
