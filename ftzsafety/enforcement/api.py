"""/api/v1/officers/…: an officer's position and availability, and the urgent hazards offered to them."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from ftzsafety.enforcement import selectors, services
from ftzsafety.enforcement.schemas import LocationIn, LocationOut, OfferOut

router = Router(tags=["officers"])
ERRORS = {400: dict, 403: dict, 404: dict, 409: dict, 422: dict}


@router.post("/me/location", response={200: LocationOut, **ERRORS}, summary="Report your position and availability")
def location_set(request: HttpRequest, payload: LocationIn) -> Any:
    return services.officer_location_set(
        actor=request.user, latitude=payload.lat, longitude=payload.lon, available=payload.available
    )


@router.get("/me/offers", response=list[OfferOut], summary="Urgent hazards offered to you, to accept or decline")
def offers(request: HttpRequest) -> Any:
    return selectors.dispatch_offers_for(actor=request.user)


@router.get(
    "/locations", response=list[LocationOut], summary="Officers' positions (own department; command centre: all)"
)
def location_list(request: HttpRequest) -> Any:
    return selectors.officer_location_list(actor=request.user)
