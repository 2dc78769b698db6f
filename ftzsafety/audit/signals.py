"""Sign-in, sign-out and failed sign-in on the audit trail (GB/T 22239-2019 §8.1.4.3 a: audit covers every user's
important behaviour; §8.1.4.1: identification and authentication events).

These are infrastructure logging on Django's own authentication signals, not business flow. The user name typed at
a failed sign-in is recorded as typed, unmasked: the audit administrator needs it to see guessing.
"""

from typing import Any

from ftzsafety import audit
from ftzsafety.audit.models import Outcome
from ftzsafety.core import request_context

SIGN_IN = "accounts.user.sign_in"
SIGN_OUT = "accounts.user.sign_out"


def _ip(request: Any) -> str | None:
    """The request context's address (RequestContextMiddleware), else the request's own REMOTE_ADDR."""
    ctx = request_context.current()
    if ctx is not None and ctx.ip:
        return ctx.ip
    meta = getattr(request, "META", None) or {}
    return meta.get("REMOTE_ADDR") or ""


def on_logged_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    if user is not None:
        audit.record(actor=user, action=SIGN_IN, target=user, ip=_ip(request))


def on_logged_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        audit.record(actor=user, action=SIGN_OUT, target=user, ip=_ip(request))


def on_login_failed(sender: Any, credentials: dict | None = None, request: Any = None, **kwargs: Any) -> None:
    from django.contrib.auth import get_user_model

    username = str((credentials or {}).get("username") or "")
    user = get_user_model()._default_manager.filter(username=username).first() if username else None
    audit.record(
        actor=None,
        username=username,
        action=SIGN_IN,
        target=user,
        outcome=Outcome.FAILED,
        ip=_ip(request),
        detail={"reason": "wrong credentials or second factor"},
    )


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(on_logged_in, dispatch_uid="ftzsafety.audit.sign_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="ftzsafety.audit.sign_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="ftzsafety.audit.sign_in_failed")
