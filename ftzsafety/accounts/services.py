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
from ftzsafety.accounts.choices import DepartmentCode, OrganisationKind
from ftzsafety.accounts.models import ApiToken, Organisation, User
from ftzsafety.accounts.roles import PLATFORM_ROLES, ROLE_SPECS, Role
from ftzsafety.core import authz
from ftzsafety.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
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


# --- organisations and people ------------------------------------------------------------------------------------

SYSTEM_USERNAME = "system"  # how the audit trail names the system itself (actor=None: the CLI and the demo seed)


def _audit_actor(actor: Any) -> dict[str, Any]:
    """audit.record arguments naming `actor`, or "system" when actor is None."""
    return {"actor": actor, "username": SYSTEM_USERNAME if actor is None else ""}


def _refuse(*, actor: Any, action: str, error: ValidationFailed | PermissionDenied, detail: dict[str, Any]) -> None:
    """Record a refused account change outside the write transaction, so the refusal stays on record while
    nothing else is written (GB/T 22239-2019 §8.1.4.3: audit covers failed and denied operations)."""
    outcome = "denied" if isinstance(error, PermissionDenied) else "failed"
    fields = sorted(error.extra.get("fields", {}))
    audit.record(**_audit_actor(actor), action=action, outcome=outcome, detail={**detail, "fields": fields})


def _require_account_manager(actor: Any, permission: str) -> None:
    """Accounts are managed by the system administrator (三员分立, GB/T 22239-2019 §8.1.4.2); actor=None is the
    system itself: the CLI and the demo seed, run by whoever holds the server's shell."""
    if actor is not None and not authz.has_perm(actor, permission):
        raise PermissionDenied(_("Only the system administrator manages accounts."), extra={"permission": permission})


def organisation_create(
    *,
    actor: Any,
    kind: str,
    code: str,
    name_zh: str,
    name_en: str = "",
    department_code: str = "",
    parent: Organisation | None = None,
    is_demo: bool = False,
) -> Organisation:
    """Register an organisation: the zone administration, a department, an enterprise's account, a partner.

    Departments are keyed by their short code (ARCHITECTURE.md, "Codes"); only the zone administration carries
    `zone_admin`, and each department code belongs to one organisation. A refusal is audited and writes nothing else.
    """
    detail = {"kind": str(kind or ""), "code": str(code or "")[:64], "via": "system" if actor is None else "web"}
    try:
        _require_account_manager(actor, "accounts.add_organisation")
        return _organisation_create(
            actor=actor,
            kind=kind,
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            department_code=department_code,
            parent=parent,
            is_demo=is_demo,
        )
    except (ValidationFailed, PermissionDenied) as error:
        _refuse(actor=actor, action="accounts.organisation.create", error=error, detail=detail)
        raise


@transaction.atomic
def _organisation_create(
    *,
    actor: Any,
    kind: str,
    code: str,
    name_zh: str,
    name_en: str,
    department_code: str,
    parent: Organisation | None,
    is_demo: bool,
) -> Organisation:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_slug

    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    code = (code or "").strip()
    name_zh = (name_zh or "").strip()
    name_en = (name_en or "").strip()
    department_code = (department_code or "").strip()
    if kind not in OrganisationKind.values:
        fail("kind", _("Choose one of the listed organisation kinds."))
    if not code:
        fail("code", _("The code is required."))
    elif len(code) > 64:
        fail("code", _("At most %(n)d characters.") % {"n": 64})
    else:
        try:
            validate_slug(code)
        except ValidationError:
            fail("code", _("Use only letters, digits, hyphens and underscores."))
        if Organisation.objects.filter(code__iexact=code).exists():
            fail("code", _("The code “%(code)s” is already taken.") % {"code": code})
    if not name_zh:
        fail("name_zh", _("The Chinese name is required."))
    for field, value in (("name_zh", name_zh), ("name_en", name_en)):
        if len(value) > 200:
            fail(field, _("At most %(n)d characters.") % {"n": 200})
    if department_code:
        if department_code not in DepartmentCode.values:
            fail("department_code", _("Choose one of the listed department codes."))
        elif department_code == DepartmentCode.ZONE_ADMIN and kind != OrganisationKind.ZONE_ADMINISTRATION:
            fail("department_code", _("Only the zone administration carries the code “zone_admin”."))
        elif department_code != DepartmentCode.ZONE_ADMIN and kind != OrganisationKind.DEPARTMENT:
            fail("department_code", _("Only a department carries a department code."))
        elif Organisation.objects.filter(department_code=department_code).exists():
            fail(
                "department_code",
                _("The department “%(code)s” is already registered.") % {"code": department_code},
            )
    elif kind == OrganisationKind.ZONE_ADMINISTRATION:
        fail("department_code", _("The zone administration carries the code “zone_admin”."))
    if parent is not None and (parent.pk is None or not Organisation.objects.filter(pk=parent.pk).exists()):
        fail("parent", _("The parent organisation does not exist."))
    if errors:
        raise ValidationFailed.for_fields(errors)
    organisation = Organisation.objects.create(
        kind=kind,
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        department_code=department_code,
        parent=parent,
        is_demo=is_demo,
    )
    audit.record(
        **_audit_actor(actor),
        action="accounts.organisation.create",
        target=organisation,
        after={
            "kind": kind,
            "code": code,
            "department_code": department_code,
            "name_zh": name_zh,
            "name_en": name_en,
            "parent": parent.code if parent else None,
            "is_demo": is_demo,
        },
    )
    return organisation


def user_create(
    *,
    actor: Any,
    username: str,
    organisation: Organisation,
    roles: list[str] | tuple[str, ...] | frozenset[str],
    password: str,
    full_name: str = "",
    is_demo: bool = False,
) -> User:
    """Create an account in one organisation with one or more roles.

    Rules: the user name is unique; each role fits the organisation's kind (accounts.roles.ROLE_SPECS); the
    password meets the password rules (GB/T 22239-2019 §8.1.4.1); and 三员分立 (GB/T 22239-2019 §8.1.4.2):
    the system, security and audit administrators are three different people, so no account holds two of those
    roles. A refusal is audited (without the password) and writes nothing else.
    """
    role_list = sorted({str(role) for role in roles or ()})
    detail = {
        "username": str(username or "")[:150],
        "organisation": getattr(organisation, "code", ""),
        "roles": role_list,
        "via": "system" if actor is None else "web",
    }
    try:
        _require_account_manager(actor, "accounts.add_user")
        return _user_create(
            actor=actor,
            username=username,
            organisation=organisation,
            roles=role_list,
            password=password,
            full_name=full_name,
            is_demo=is_demo,
        )
    except (ValidationFailed, PermissionDenied) as error:
        _refuse(actor=actor, action="accounts.user.create", error=error, detail=detail)
        raise


@transaction.atomic
def _user_create(
    *,
    actor: Any,
    username: str,
    organisation: Organisation,
    roles: list[str],
    password: str,
    full_name: str,
    is_demo: bool,
) -> User:
    from django.contrib.auth.models import Group
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    username = (username or "").strip()
    full_name = (full_name or "").strip()
    if not username:
        fail("username", _("The user name is required."))
    else:
        try:
            User.username_validator(username)
        except ValidationError as exc:
            fail("username", " ".join(exc.messages))
        if len(username) > 150:
            fail("username", _("At most %(n)d characters.") % {"n": 150})
        if User.objects.filter(username__iexact=username).exists():
            fail("username", _("The user name “%(name)s” is already taken.") % {"name": username})
    if len(full_name) > 100:
        fail("full_name", _("At most %(n)d characters.") % {"n": 100})
    org_ok = isinstance(organisation, Organisation) and organisation.pk is not None
    if not org_ok or not Organisation.objects.filter(pk=organisation.pk, is_active=True).exists():
        fail("organisation", _("Choose an existing, active organisation."))
    for message in _role_problems(roles, organisation if org_ok else None):
        fail("roles", message)
    try:
        validate_password(password or "", User(username=username, full_name=full_name))
    except ValidationError as exc:
        for message in exc.messages:
            fail("password", message)
    if errors:
        raise ValidationFailed.for_fields(errors)
    user = User(username=username, organisation=organisation, full_name=full_name, is_demo=is_demo)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    groups = list(Group.objects.filter(name__in=roles))
    if len(groups) != len(roles):  # role groups are synced after migrate; a missing one is a setup fault
        raise Conflict(_("The role groups are not set up yet; run migrate."), code="roles_not_configured")
    user.groups.set(groups)
    audit.record(
        **_audit_actor(actor),
        action="accounts.user.create",
        target=user,
        after={"username": username, "organisation": organisation.code, "roles": roles, "is_demo": is_demo},
    )
    return user


def _role_problems(roles: list[str], organisation: Organisation | None) -> list[str]:
    """What is wrong with giving `roles` to a member of `organisation`: unknown roles, roles not meant for the
    organisation's kind (accounts.roles.ROLE_SPECS), and two platform roles in one hand (三员分立, GB/T 22239-2019
    §8.1.4.2)."""
    problems: list[str] = []
    if not roles:
        problems.append(_("Give the account at least one role."))
    for role in roles:
        if role not in Role.values:
            problems.append(_("“%(role)s” is not a role.") % {"role": role})
        elif organisation is not None and organisation.kind not in ROLE_SPECS[role].org_kinds:
            problems.append(
                _("The role “%(role)s” is not for a member of a %(kind)s.")
                % {"role": Role(role).label, "kind": OrganisationKind(organisation.kind).label}
            )
    platform = sorted(set(roles) & PLATFORM_ROLES)
    if len(platform) > 1:
        problems.append(
            _(
                "The system, security and audit administrators must be different people (三员分立); "
                "one account cannot hold %(roles)s."
            )
            % {"roles": " + ".join(str(Role(role).label) for role in platform)}
        )
    return problems


def user_roles_set(*, actor: Any, user_id: int, roles: list[str]) -> User:
    """Replace a person's roles. Roles are the security administrator's to assign (三员分立: the system
    administrator creates accounts, the security administrator decides what they may do), never their own."""
    role_list = sorted({str(role) for role in roles or ()})
    try:
        return _user_roles_set(actor=actor, user_id=user_id, roles=role_list)
    except (ValidationFailed, PermissionDenied) as error:
        _refuse(actor=actor, action="accounts.user.roles", error=error, detail={"user_id": user_id, "roles": role_list})
        raise


@transaction.atomic
def _user_roles_set(*, actor: Any, user_id: int, roles: list[str]) -> User:
    from django.contrib.auth.models import Group

    if not (actor is not None and actor.has_role("security_admin")):
        raise PermissionDenied(_("Only the security administrator assigns roles."))
    user = User.objects.select_for_update(of=("self",)).select_related("organisation").filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("User not found."))
    if user.pk == actor.pk:
        raise PermissionDenied(_("Nobody assigns roles to themselves."))
    problems = _role_problems(roles, user.organisation)
    if problems:
        raise ValidationFailed.for_fields({"roles": problems})
    before = sorted(user.groups.values_list("name", flat=True))
    if before != roles:
        user.groups.set(list(Group.objects.filter(name__in=roles)))
        audit.record(
            actor=actor, action="accounts.user.roles", target=user, before={"roles": before}, after={"roles": roles}
        )
    return user


# --- sign-in security (等保 2.0 level 3, GB/T 22239-2019 §8.1.4.1) ---------------------------------------------


def totp_enrol(*, user: User, secret: str, code: str) -> User:
    """Confirm a new TOTP secret with a first code from the person's authenticator app."""
    from ftzsafety.accounts import totp

    step = totp.matching_timecode(secret=secret, code=code, last_timecode=None)
    if step is None:
        # Outside any transaction that the error would roll back, so the failed attempt stays on record.
        audit.record(actor=None, username=user.username, action="accounts.totp.enrol", target=user, outcome="failed")
        raise ValidationFailed.for_fields({"code": [_("The code does not match. Check the time on your phone.")]})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.totp_secret = secret
        user.totp_confirmed_at = timezone.now()
        user.totp_last_timecode = step
        user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_timecode"])
        audit.record(actor=None, username=user.username, action="accounts.totp.enrol", target=user)
    return user


@transaction.atomic
def totp_verify(*, user: User, code: str) -> bool:
    """Check a second-factor code; a code is accepted once (a replayed code is refused). Audited either way."""
    from ftzsafety.accounts import totp

    user = User.objects.select_for_update().get(pk=user.pk)
    step = None
    if user.totp_secret and user.totp_confirmed_at:
        step = totp.matching_timecode(secret=user.totp_secret, code=code, last_timecode=user.totp_last_timecode)
    if step is None:
        audit.record(actor=None, username=user.username, action="accounts.totp.verify", target=user, outcome="failed")
        return False
    user.totp_last_timecode = step
    user.save(update_fields=["totp_last_timecode"])
    return True


@transaction.atomic
def password_change(*, actor: User, new_password: str) -> User:
    """Set a new password after checking the password rules; restarts the 90-day clock."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(new_password, actor)
    except ValidationError as exc:
        raise ValidationFailed.for_fields({"new_password1": list(exc.messages)}) from None
    user = User.objects.select_for_update().get(pk=actor.pk)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit.record(actor=user, action="accounts.password.change", target=user)
    return user


def session_open(*, user: User, session_key: str) -> None:
    """Remember an open session so that disabling the account can end it."""
    from ftzsafety.accounts.models import UserSession

    if session_key:
        UserSession.objects.get_or_create(session_key=session_key, defaults={"user": user})


@transaction.atomic
def user_disable(*, actor: User, user_id: int, reason: str) -> User:
    """Disable an account: it can no longer sign in, its open sessions end and its API tokens are revoked."""
    from django.contrib.sessions.models import Session

    from ftzsafety.accounts.models import UserSession

    if not actor.has_role("system_admin"):
        raise PermissionDenied(_("Only the system administrator manages accounts."))
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("User not found."))
    if not reason.strip():
        raise ValidationFailed.for_fields({"reason": [_("Give a reason.")]})
    now = timezone.now()
    user.is_active = False
    user.save(update_fields=["is_active"])
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    audit.record(
        actor=actor,
        action="accounts.user.disable",
        target=user,
        detail={"reason": reason.strip(), "sessions_ended": len(keys), "tokens_revoked": revoked},
    )
    return user


@transaction.atomic
def user_unlock(*, actor: User, user_id: int) -> User:
    """Lift a sign-in lock before its 15 minutes are up (system administrator only)."""
    from axes.utils import reset

    if not actor.has_role("system_admin"):
        raise PermissionDenied(_("Only the system administrator manages accounts."))
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("User not found."))
    cleared = reset(username=user.username)
    audit.record(actor=actor, action="accounts.user.unlock", target=user, detail={"attempts_cleared": cleared})
    return user


def sign_in_locked(*, username: str) -> None:
    """Record that a name was locked after repeated failures (called by django-axes' user_locked_out signal)."""
    user = User.objects.filter(username=username).first()
    audit.record(
        actor=None,
        username=username,
        action="accounts.user.locked",
        target=user,
        outcome="denied",
        detail={"reason": "too many failed sign-ins"},
    )


@transaction.atomic
def totp_assign_demo_secret(*, user: User) -> str:
    """Give a DEMO account a fixed, printed TOTP secret so that a tester can add it to an authenticator app.

    Only accounts marked as demo data; the secret is derived from the user name, so it is public by design.
    """
    import base64

    if not user.is_demo:
        raise PermissionDenied(_("Only demo accounts get a printed second-factor secret."))
    secret = base64.b32encode(bytes.fromhex(crypto.sm3_hex(f"ftzsafety-demo-totp:{user.username}".encode()))[:20])
    user = User.objects.select_for_update().get(pk=user.pk)
    user.totp_secret = secret.decode("ascii")
    user.totp_confirmed_at = timezone.now()
    user.totp_last_timecode = None
    user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_timecode"])
    audit.record(actor=None, action="accounts.totp.demo_secret", target=user, detail={"demo": True})
    return user.totp_secret
