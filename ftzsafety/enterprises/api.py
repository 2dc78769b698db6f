from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from ftzsafety.enterprises import selectors, services
from ftzsafety.enterprises.schemas import (
    ContactIn,
    ContactOut,
    ContactsOut,
    EnterpriseCreate,
    EnterpriseFilterQuery,
    EnterpriseOut,
    EnterprisePatch,
)

router = Router(tags=["enterprises"])
ERRORS = {400: dict, 403: dict, 404: dict, 409: dict, 422: dict}


@router.get("", response=list[EnterpriseOut], summary="Enterprises visible to you")
@paginate(LimitOffsetPagination)
def enterprise_list(request: HttpRequest, filters: Query[EnterpriseFilterQuery]) -> Any:
    return selectors.enterprise_list(actor=request.user, filters=selectors.EnterpriseFilters(**filters.dict()))


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
