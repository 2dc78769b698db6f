from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from ftzsafety.enterprises import search, selectors, services
from ftzsafety.enterprises.schemas import (
    ContactIn,
    ContactOut,
    ContactsOut,
    EnterpriseCreate,
    EnterpriseFilterQuery,
    EnterpriseListItemOut,
    EnterpriseOut,
    EnterprisePatch,
)

router = Router(tags=["enterprises"])
ERRORS = {400: dict, 403: dict, 404: dict, 409: dict, 422: dict}


class EnterprisePagination(LimitOffsetPagination):
    """Limit/offset; with the cross-border filter, the page's chain summaries are added (three queries a page).

    A search (`q`) counts exactly up to 10,000 matches (`enterprises.search.COUNT_CAP`); beyond that `count` is
    10,000 and `count_capped` is true (show "10,000+"), and the order is the ranking within the first 10,001 visible
    matches (the exact credit code and exact name always included). Without `q`, `count_capped` is always false."""

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description="Matching enterprises; at most 10,000 for a search (see count_capped)")
        count_capped: bool = Field(
            False, description="True when a search matched more than `count` enterprises: show it as “10,000+”"
        )

    def _items_count(self, queryset: Any) -> int:
        known = getattr(queryset, "search_count", None)  # a search knows its (capped) count already
        return known if known is not None else super()._items_count(queryset)

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request=request, **params)
        filters = params.get("filters")
        searching = filters is not None and bool((filters.q or "").strip())
        page["count_capped"] = searching and selectors.search_count_capped(page["count"])
        if page["count_capped"]:
            page["count"] = search.COUNT_CAP
        if filters is not None and filters.cross_border_dangerous_goods:
            items = list(page["items"])
            selectors.enterprise_attach_cross_border(
                actor=request.user, enterprises=items, since=selectors.parse_since(filters.since)
            )
            page["items"] = items
        return page


@router.get("", response=list[EnterpriseListItemOut], summary="Enterprises visible to you")
@paginate(EnterprisePagination)
def enterprise_list(request: HttpRequest, filters: Query[EnterpriseFilterQuery]) -> Any:
    values = filters.dict()
    values["since"] = selectors.parse_since(values["since"])
    return selectors.enterprise_list(actor=request.user, filters=selectors.EnterpriseFilters(**values))


@router.post("", response={201: EnterpriseOut, **ERRORS}, summary="Register an enterprise")
def enterprise_create(request: HttpRequest, payload: EnterpriseCreate) -> Any:
    data = payload.dict(exclude_unset=True)
    uscc = data.pop("uscc")
    override = data.pop("override_check_character", False)
    enterprise = services.enterprise_create(
        actor=request.user, uscc=uscc, values=data, override_check_character=override
    )
    return Status(201, enterprise)


@router.get("/{uscc}", response={200: EnterpriseOut, 404: dict}, summary="One enterprise")
def enterprise_get(request: HttpRequest, uscc: str) -> Any:
    return selectors.enterprise_get(actor=request.user, uscc=uscc)


@router.patch("/{uscc}", response={200: EnterpriseOut, **ERRORS}, summary="Change an enterprise's registry fields")
def enterprise_update(request: HttpRequest, uscc: str, payload: EnterprisePatch) -> Any:
    return services.enterprise_update(actor=request.user, uscc=uscc, values=payload.dict(exclude_unset=True))


@router.get("/{uscc}/contacts", response={200: ContactsOut, 404: dict}, summary="Responsible persons (confidential)")
def contact_list(request: HttpRequest, uscc: str) -> Any:
    return selectors.contact_list(actor=request.user, uscc=uscc)


@router.put("/{uscc}/contacts/{role}", response={200: ContactOut, **ERRORS}, summary="Record a responsible person")
def contact_set(request: HttpRequest, uscc: str, role: str, payload: ContactIn) -> Any:
    contact = services.contact_set(actor=request.user, uscc=uscc, role=role, **payload.dict())
    return {
        "role": contact.role,
        "name": contact.name,
        "resident_id": contact.resident_id,
        "phone": contact.phone,
        "updated_at": contact.updated_at,
    }


from ftzsafety.enterprises.schemas import ProfileOut  # noqa: E402  (the profile's endpoint, added with issue 4)


@router.get("/{uscc}/profile", response={200: ProfileOut, 404: dict}, summary="The enterprise profile (一企一档)")
def enterprise_profile(request: HttpRequest, uscc: str) -> Any:
    """Identity, one section per department dataset (counts, latest rows masked to your clearance, how many rows
    you may not see and where to request access), documents, a timeline across departments, the cross-border
    dangerous-goods chain and extra panels."""
    from ftzsafety.enterprises.profile import enterprise_profile as build

    return build(actor=request.user, uscc=uscc)
