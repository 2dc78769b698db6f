from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ftzsafety.certificates.services import certificate_issue

LINES = [("UN1203", Decimal("12.5"), "t"), ("UN1830", Decimal("3000"), "kg")]


@pytest.fixture
def window() -> tuple[datetime, datetime]:
    start = timezone.now().astimezone(UTC).replace(second=0, microsecond=0) - timedelta(hours=1)
    return start, start + timedelta(days=30)


@pytest.fixture
def issue(customs_reviewer, enterprise, window):
    """`issue(**overrides)`: a certificate issued by the customs reviewer for the Binhai enterprise."""

    def make(**overrides):
        values = {
            "actor": customs_reviewer,
            "filing_ref": "DG-2026-000123",
            "enterprise": enterprise,
            "lines": LINES,
            "valid_from": window[0],
            "valid_until": window[1],
            "title": "入区危险货物申报电子证照",
        }
        values.update(overrides)
        return certificate_issue(**values)

    return make


@pytest.fixture
def certificate(issue):
    return issue()


@pytest.fixture
def zone_public_pem() -> bytes:
    from ftzsafety.security import keys

    return keys.zone_public_key()[1]
