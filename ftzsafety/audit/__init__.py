"""The audit trail. `from ftzsafety import audit; audit.record(actor=…, action=…, target=…)`;
`audit.record_access(actor=…, target=…, classification=…)` for reads of internal or confidential records."""

from typing import Any


def record(**kwargs: Any) -> Any:
    """Append one audit record (see `ftzsafety.audit.services.record`)."""
    from ftzsafety.audit.services import record as _record

    return _record(**kwargs)


def record_access(**kwargs: Any) -> Any:
    """Record a read of an internal or confidential record (see `ftzsafety.audit.services.record_access`)."""
    from ftzsafety.audit.services import record_access as _record_access

    return _record_access(**kwargs)


def record_denials(action: str) -> Any:
    """Audit a service's PermissionDenied as a denied `action` (see `ftzsafety.audit.services.record_denials`)."""
    from ftzsafety.audit.services import record_denials as _record_denials

    return _record_denials(action)
