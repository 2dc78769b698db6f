"""The shell: sign-in, and one home page per role."""

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class SignInView(auth_views.LoginView):
    template_name = "portal/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    return render(request, "portal/home.html", context)
