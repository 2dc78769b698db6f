from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict


class LocationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    lat: float = Field(..., description="WGS 84 latitude, decimal degrees")
    lon: float = Field(..., description="WGS 84 longitude, decimal degrees")
    available: bool = True


class LocationOut(Schema):
    officer: str = Field(..., alias="officer.username")
    department: str = Field(..., alias="department.department_code")
    lat: float = Field(..., alias="latitude")
    lon: float = Field(..., alias="longitude")
    available: bool
    reported_at: datetime


class OfferOut(Schema):
    id: int
    hazard_id: int
    hazard_code: str | None = Field(None, alias="hazard.code")
    distance_m: float
    offered_at: datetime
    respond_by: datetime
