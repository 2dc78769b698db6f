from datetime import date, timedelta

import pytest
from django.utils import timezone

from ftzsafety.credit.services import credit_event_record


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def record(db: None):
    """`record(enterprise, kind, days_ago=0, ref=None, **kw)`: emit an event as the filings/hazards modules do."""
    counter = {"n": 0}

    def make(enterprise, kind, days_ago: int = 0, ref: str | None = None, actor=None, **kwargs):
        counter["n"] += 1
        return credit_event_record(
            actor=actor,
            enterprise=enterprise,
            kind=kind,
            occurred_on=timezone.localdate() - timedelta(days=days_ago),
            source_module=kwargs.pop("source_module", "tests"),
            source_ref=ref or f"ref-{counter['n']}",
            **kwargs,
        )

    return make
