"""Who may issue and revoke e-certificates (pure functions over the role table in accounts/roles.py).

Issuing happens when the last required department approves a filing (parallel review), so any government reviewer
or officer whose approval may be the last (accounts/roles.py) may trigger it; revoking withdraws an administrative
licence-like document, which 行政许可法 第七十条 leaves to the issuing authority: department heads and the zone
command centre."""

from typing import Any

from ftzsafety.core import authz

ISSUE_PERMISSION = "certificates.add_certificate"
REVOKE_PERMISSION = "certificates.revoke_certificate"


def can_issue(actor: Any) -> bool:
    return bool(getattr(actor, "is_government", False)) and authz.has_perm(actor, ISSUE_PERMISSION)


def can_revoke(actor: Any, certificate: Any = None) -> bool:
    return bool(getattr(actor, "is_government", False)) and authz.has_perm(actor, REVOKE_PERMISSION, certificate)
