"""Writes about organisations, people and API tokens."""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ftzsafety import audit
from ftzsafety.accounts.models import ApiToken, User
from ftzsafety.core.errors import NotFound, PermissionDenied, ValidationFailed
from ftzsafety.security import crypto

TOKEN_PREFIX = "ftz_"  # noqa: S105 - a public marker, not a secret


def token_digest(secret: str) -> str:
    """Tokens carry 256 random bits, so a plain SM3 digest (no salt, no stretching) is enough to store."""
    return crypto.sm3_hex(secret.encode())


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


@transaction.atomic
def api_token_create(*, actor: Any, user: User, expires_days: int | None = None, name: str = "") -> IssuedToken:
    """Issue a bearer token for `user`. People issue tokens for themselves; `actor=None` is the CLI,
    run by whoever holds the server's shell."""
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("You may issue tokens only for yourself."))
    if not user.is_active:
        raise ValidationFailed.for_fields({"user": [_("The account is disabled.")]})
    days = settings.API_TOKEN_DEFAULT_DAYS if expires_days is None else expires_days
    if not 1 <= days <= 366:
        raise ValidationFailed.for_fields({"expires": [_("A token lasts between 1 and 366 days.")]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[:12],
        digest=token_digest(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(
        actor=actor or user,
        action="accounts.api_token.create",
        target=token,
        detail={"expires_at": token.expires_at.isoformat(), "via": "cli" if actor is None else "web"},
    )
    return IssuedToken(token, secret)


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None or (token.user_id != actor.pk and not actor.has_role("security_admin")):
        raise NotFound(_("Token not found."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="accounts.api_token.revoke", target=token)
    return token


def api_token_authenticate(secret: str) -> User | None:
    """The user of a live token, or None. Touches last_used_at at most once a minute."""
    from ftzsafety.accounts.selectors import user_by_token_digest

    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = user_by_token_digest(token_digest(secret))
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
