"""Hazard fixtures: departments with officers and heads, the demo-like port area, photos with EXIF GPS."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.accounts.factories import UserFactory, department


def jpeg_with_gps(lat=(38, 58, 12.0), lon=(117, 45, 0.0)) -> bytes:
    image = Image.new("RGB", (16, 12), (200, 60, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", lat, "E", lon
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def photo(name: str = "hazard.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else jpeg_with_gps(), content_type="image/jpeg")


@pytest.fixture
def market_dept(db):
    return department("market")


@pytest.fixture
def fire_dept(db):
    return department("fire")


@pytest.fixture
def market_officer(market_dept):
    return UserFactory(username="market_officer", organisation=market_dept, roles=["officer"])


@pytest.fixture
def market_officer_2(market_dept):
    return UserFactory(username="market_officer_2", organisation=market_dept, roles=["officer"])


@pytest.fixture
def market_head(market_dept):
    return UserFactory(username="market_head", organisation=market_dept, roles=["department_head"])


@pytest.fixture
def fire_officer(fire_dept):
    return UserFactory(username="fire_officer", organisation=fire_dept, roles=["officer"])


@pytest.fixture
def reported(db, zone_admin_org, market_dept, enterprise):
    """A general special-equipment hazard at the enterprise, reported by the public, routed to market supervision."""
    from ftzsafety.hazards import services

    return services.hazard_report(
        actor=None,
        category="special_equipment",
        level="general",
        title="叉车制动失灵仍在使用",
        description="仓库内3号叉车制动失灵，仍在装卸作业。",
        enterprise_uscc=enterprise.uscc,
    )
