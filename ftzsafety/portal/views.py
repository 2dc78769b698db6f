"""The shell's pages: one home page per role (what each shows is decided in portal.dashboards).

Sign-in and sign-out live in the accounts app (two-step sign-in); portal.urls routes its names to them.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ftzsafety.portal.dashboards import dashboard_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    dashboard = dashboard_for(request.user)
    return render(request, "portal/home.html", {"dashboard": dashboard.kind, **dashboard.context})
