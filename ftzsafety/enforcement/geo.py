"""Great-circle distance and the bounding box that contains a circle on the sphere.

Distance by the haversine formula on a sphere of the IUGG mean Earth radius (6,371,008.8 m; WGS 84 positions): the
error against the ellipsoid is below 0.5 %, far less than a phone's GPS error matters for choosing an officer.
The box follows J. P. Matuschek, "Finding Points Within a Distance of a Latitude/Longitude Using Bounding
Coordinates" (2011): latitude ± r/R, longitude ± asin(sin(r/R) / cos(lat)), whole longitude range near a pole.
"""

import math
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_008.8
# Widen boxes slightly so that floating-point rounding never drops a point that lies exactly on the circle.
_MARGIN = 1e-9


def great_circle_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in metres between two WGS 84 positions (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Box:
    min_lat: float
    max_lat: float
    # None when the box spans every longitude (near a pole, or a radius that wraps the globe).
    min_lon: float | None
    max_lon: float | None
    # True when the longitude range crosses the antimeridian: then lon >= min_lon OR lon <= max_lon.
    wraps: bool = False


def bounding_box(lat: float, lon: float, radius_m: float) -> Box:
    """The smallest latitude/longitude box containing every point within `radius_m` of (lat, lon)."""
    angular = radius_m / EARTH_RADIUS_M
    phi = math.radians(lat)
    min_phi, max_phi = phi - angular, phi + angular
    if min_phi <= -math.pi / 2 or max_phi >= math.pi / 2 or angular >= math.pi / 2:
        return Box(max(-90.0, math.degrees(min_phi)) - _MARGIN, min(90.0, math.degrees(max_phi)) + _MARGIN, None, None)
    dlmb = math.asin(min(1.0, math.sin(angular) / math.cos(phi)))
    lmb = math.radians(lon)
    min_lmb, max_lmb = lmb - dlmb, lmb + dlmb
    box_lat = (math.degrees(min_phi) - _MARGIN, math.degrees(max_phi) + _MARGIN)
    min_lon, max_lon = math.degrees(min_lmb) - _MARGIN, math.degrees(max_lmb) + _MARGIN
    if min_lon < -180.0:
        return Box(*box_lat, min_lon + 360.0, max_lon, wraps=True)
    if max_lon > 180.0:
        return Box(*box_lat, min_lon, max_lon - 360.0, wraps=True)
    return Box(*box_lat, min_lon, max_lon)
