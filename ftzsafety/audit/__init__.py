"""The audit trail. `from ftzsafety import audit; audit.record(actor=…, action=…, target=…)`."""

from typing import Any


def record(**kwargs: Any) -> Any:
    """Append one audit record (see `ftzsafety.audit.services.record`)."""
    from ftzsafety.audit.services import record as _record

    return _record(**kwargs)
