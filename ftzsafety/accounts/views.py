"""Sign-in in two steps for government and platform roles: password, then a one-time code.

Step one is Django's AuthenticationForm (django-axes counts failures and locks the name for 15 minutes after 5);
step two asks for a TOTP code, or enrols the authenticator first. Only after step two is the person signed in.
"""

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from ftzsafety.accounts import services, totp
from ftzsafety.accounts.forms import PasswordChangeForm, TotpCodeForm
from ftzsafety.accounts.models import User
from ftzsafety.accounts.roles import Role
from ftzsafety.core.errors import ValidationFailed

PENDING = "ftzsafety_pending_2fa"
PENDING_SECONDS = 300
MAX_CODE_ATTEMPTS = 5


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return settings.LOGIN_REDIRECT_URL_PATH


def _complete_sign_in(request: HttpRequest, user: User, backend: str, next_url: str) -> HttpResponse:
    request.session.pop(PENDING, None)
    login(request, user, backend=backend)
    services.session_open(user=user, session_key=request.session.session_key or "")
    return redirect(next_url)


def _pending_user(request: HttpRequest) -> tuple[User | None, dict[str, Any]]:
    pending = request.session.get(PENDING) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, {}
    user = User.objects.filter(pk=pending.get("user_id"), is_active=True).first()
    return user, pending


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url)
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        backend = getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1])
        if not user.requires_second_factor:
            return _complete_sign_in(request, user, backend, next_url)
        request.session.cycle_key()
        request.session[PENDING] = {
            "user_id": user.pk,
            "backend": backend,
            "at": time.time(),
            "next": next_url,
            "failures": 0,
        }
        return redirect("accounts:totp_enrol" if not user.totp_confirmed_at else "accounts:totp")
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


def _code_failed(request: HttpRequest, user: User, pending: dict[str, Any]) -> bool:
    """Count a wrong code; after five, abandon the sign-in and report a failed login (it counts towards the lock)."""
    pending["failures"] = pending.get("failures", 0) + 1
    request.session[PENDING] = pending
    if pending["failures"] >= MAX_CODE_ATTEMPTS:
        request.session.pop(PENDING, None)
        user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
        messages.error(request, _("Too many wrong codes. Sign in again."))
        return True
    return False


@csrf_protect
@never_cache
def totp_step(request: HttpRequest) -> HttpResponse:
    user, pending = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    if not user.totp_confirmed_at:
        return redirect("accounts:totp_enrol")
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_verify(user=user, code=form.cleaned_data["code"]):
            return _complete_sign_in(request, user, pending["backend"], pending["next"])
        if _code_failed(request, user, pending):
            return redirect("accounts:login")
        form.add_error("code", _("The code is wrong or has already been used. Wait for the next code."))
    return render(request, "accounts/totp.html", {"form": form, "pending_user": user})


@csrf_protect
@never_cache
def totp_enrol(request: HttpRequest) -> HttpResponse:
    user, pending = _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    if user.totp_confirmed_at:
        return redirect("accounts:totp")
    secret = pending.get("new_secret") or totp.new_secret()
    pending["new_secret"] = secret
    request.session[PENDING] = pending
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.totp_enrol(user=user, secret=secret, code=form.cleaned_data["code"])
        except ValidationFailed as exc:
            for message in exc.fields.get("code", [exc.message]):
                form.add_error("code", message)
            _code_failed(request, user, pending)
        else:
            messages.success(request, _("Your authenticator is set up."))
            return _complete_sign_in(request, user, pending["backend"], pending["next"])
    uri = totp.provisioning_uri(secret=secret, username=user.username)
    return render(
        request,
        "accounts/totp_enrol.html",
        {"form": form, "pending_user": user, "qr_svg": totp.qr_svg(uri), "secret": secret},
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.password_change(actor=request.user, new_password=form.cleaned_data["new_password1"])
        except ValidationFailed as exc:
            for field, errors in exc.fields.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            backend = request.session.get(BACKEND_SESSION_KEY)
            update_session_auth_hash(request, user)
            if backend:
                request.session[BACKEND_SESSION_KEY] = backend
            services.session_open(user=user, session_key=request.session.session_key or "")
            messages.success(request, _("Your password has been changed."))
            return redirect(settings.LOGIN_REDIRECT_URL_PATH)
    return render(request, "accounts/password_change.html", {"form": form})


def locked_out(request: HttpRequest, credentials: dict | None = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes lockout response (AXES_LOCKOUT_CALLABLE)."""
    return render(request, "accounts/locked.html", {"minutes": settings.AXES_COOLOFF_MINUTES}, status=429)


# --- user administration (三员分立: the system administrator disables and unlocks, the security administrator
# assigns roles) ---------------------------------------------------------------------------------------------


def _may_administer(user: Any) -> bool:
    return user.is_authenticated and user.has_role("system_admin", "security_admin")


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
    from django.core.paginator import Paginator

    from ftzsafety.accounts import selectors

    if not _may_administer(request.user):
        raise DjangoPermissionDenied
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.user_list(actor=request.user, q=q), 50).get_page(request.GET.get("page"))
    locked = selectors.locked_usernames([u.username for u in page])
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": page,
            "q": q,
            "locked": locked,
            "roles": Role.choices,
            "is_system_admin": request.user.has_role("system_admin"),
            "is_security_admin": request.user.has_role("security_admin"),
        },
    )


@login_required
@require_POST
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    services.user_unlock(actor=request.user, user_id=user_id)
    messages.success(request, _("The sign-in lock has been lifted."))
    return redirect("accounts:users")


@login_required
def user_disable(request: HttpRequest, user_id: int) -> HttpResponse:
    """A confirmation page with a reason, then the disable service."""
    from ftzsafety.accounts import selectors

    target = selectors.user_list(actor=request.user).filter(pk=user_id).first()
    if target is None or not request.user.has_role("system_admin"):
        from django.http import Http404

        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.user_disable(actor=request.user, user_id=user_id, reason=request.POST.get("reason", ""))
        except ValidationFailed as exc:
            error = exc.message
        else:
            messages.success(request, _("The account is disabled; its sessions ended and its tokens were revoked."))
            return redirect("accounts:users")
    return render(request, "accounts/user_disable.html", {"target": target, "error": error})


@login_required
@require_POST
def user_roles(request: HttpRequest, user_id: int) -> HttpResponse:
    try:
        services.user_roles_set(actor=request.user, user_id=user_id, roles=request.POST.getlist("roles"))
    except ValidationFailed as exc:
        for message in exc.fields.get("roles", [exc.message]):
            messages.error(request, message)
    else:
        messages.success(request, _("Roles saved."))
    return redirect("accounts:users")
