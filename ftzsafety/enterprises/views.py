"""Registry pages (placeholder until the UI lands)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("list")


@login_required
def enterprise_create(request: HttpRequest) -> HttpResponse:
    return HttpResponse("create")


@login_required
def enterprise_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    return HttpResponse("detail")


@login_required
def enterprise_edit(request: HttpRequest, uscc: str) -> HttpResponse:
    return HttpResponse("edit")
