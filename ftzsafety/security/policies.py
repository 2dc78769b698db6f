"""Pure rules about access requests and grants."""

from typing import Any

from ftzsafety.security.choices import AccessRequestStatus
from ftzsafety.security.selectors import is_current_approver

# A grant lasts at most this many days from the day it is asked for (数据安全法 第二十七条: minimum necessary;
# the zone's data-sharing rules renew access twice a year).
MAX_GRANT_DAYS = 180
MAX_PURPOSE_LENGTH = 2000
MAX_REASON_LENGTH = 2000


def _signed_in(actor: Any) -> bool:
    return bool(actor is not None and getattr(actor, "is_authenticated", False) and actor.is_active)


def can_request(actor: Any) -> bool:
    """Government people ask for access to confidential data; platform administrators never read business data
    (GB/T 22239-2019 三员分立) and enterprises and partners are not given confidential data of others."""
    return _signed_in(actor) and actor.is_government and not actor.is_platform_admin


def can_decide(actor: Any, request: Any) -> bool:
    """The approver of the current step (never the requester)."""
    return is_current_approver(actor, request)


def can_withdraw(actor: Any, request: Any) -> bool:
    return _signed_in(actor) and request.requester_id == actor.pk and request.status == AccessRequestStatus.PENDING


def can_revoke(actor: Any, grant: Any) -> bool:
    """The security administrator, a head of the owning organisation, and the holder (giving it up)."""
    if not _signed_in(actor) or grant.revoked_at is not None:
        return False
    if actor.has_role("security_admin") or actor.pk == grant.user_id:
        return True
    return actor.has_role("department_head") and actor.organisation_id == grant.owner_id


def is_security_admin(actor: Any) -> bool:
    return _signed_in(actor) and actor.has_role("security_admin")
