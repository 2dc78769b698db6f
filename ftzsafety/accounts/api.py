from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from ftzsafety.accounts import selectors
from ftzsafety.accounts.schemas import MeOut, OrganisationOut

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, summary="The signed-in person")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    enterprise = getattr(user.organisation, "enterprise", None) if user.organisation_id else None
    return {
        "username": user.username,
        "full_name": user.full_name,
        "organisation": user.organisation,
        "roles": sorted(user.role_names),
        "is_government": user.is_government,
        "is_enterprise_user": user.is_enterprise_user,
        "is_platform_admin": user.is_platform_admin,
        "enterprise_uscc": enterprise.uscc if enterprise else None,
    }


class OrganisationFilters(Schema):
    kind: str = ""
    q: str = ""


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations visible to you")
@paginate(LimitOffsetPagination)
def organisations(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    return selectors.organisation_list(actor=request.user, kind=filters.kind, q=filters.q)
