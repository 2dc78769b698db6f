"""Who may use the audit trail: the audit administrator alone (三员分立, GB/T 22239-2019 §8.1.4.2 c: the audit
administrator reads, analyses and verifies the audit records; the system and security administrators do not)."""

from typing import Any

from ftzsafety.core import authz

VIEW_PERMISSION = "audit.view_auditrecord"


def can_read_trail(actor: Any) -> bool:
    return authz.has_perm(actor, VIEW_PERMISSION)
