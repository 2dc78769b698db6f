"""Session rules (GB/T 22239-2019 §8.1.4.1): idle timeout (SESSION_COOKIE_AGE with a sliding expiry), an
absolute limit per sign-in, and the 90-day password change prompt."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ftzsafety.accounts.passwords import password_expired

SIGNED_IN_AT = "ftzsafety_signed_in_at"
EXEMPT_PREFIXES = ("/static/", "/i18n/", "/api/", "/accounts/")


class SessionPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            started = request.session.setdefault(SIGNED_IN_AT, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            if password_expired(user) and not request.path.startswith(EXEMPT_PREFIXES):
                messages.warning(request, _("Your password is older than 90 days. Please choose a new one."))
                return redirect("accounts:password_change")
        return self.get_response(request)


def mark_signed_in(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """user_logged_in receiver: start the absolute session clock."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()
