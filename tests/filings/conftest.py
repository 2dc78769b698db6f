"""Filings fixtures: destinations in the zone, one reviewer per department, SDS texts, a valid DG form."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ftzsafety.filings.models import Destination
from ftzsafety.filings.sds import SECTION_TITLES
from tests.accounts.factories import UserFactory, department


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def destinations(db: None) -> dict[str, Destination]:
    yard = Destination.objects.create(
        code="port-yard-3",
        name_zh="港区3号危险货物堆场",
        name_en="Port DG Yard No. 3",
        kind="yard",
        area_code="port-area",
        accepted_classes=["2", "3", "4", "5.1", "6.1", "8", "9"],
        storage_name="港区3号堆场",
    )
    warehouse = Destination.objects.create(
        code="bonded-wh-2",
        name_zh="保税区2号甲类仓库",
        name_en="Bonded Class-A Warehouse No. 2",
        kind="warehouse",
        area_code="bonded-park",
        accepted_classes=["3", "8"],
        storage_name="保税2号库",
    )
    return {"yard": yard, "warehouse": warehouse}


def _reviewer(username: str, code: str, role: str = "reviewer") -> Any:
    return UserFactory(username=username, organisation=department(code), roles=[role])


@pytest.fixture
def reviewers(db: None, customs_reviewer: Any) -> dict[str, Any]:
    return {
        "customs": customs_reviewer,
        "emergency": _reviewer("emergency_reviewer", "emergency"),
        "maritime": _reviewer("maritime_reviewer", "maritime"),
        "transport": _reviewer("transport_reviewer", "transport"),
        "fire": _reviewer("fire_reviewer", "fire", "officer"),
        "commerce": _reviewer("commerce_reviewer", "commerce"),
    }


def sds_text(un_number: str, name: str, *, skip: tuple[int, ...] = ()) -> str:
    lines = [f"安全技术说明书 SDS — {name} ({un_number})", "按 GB/T 16483-2008 编制"]
    for number, (zh, en) in SECTION_TITLES.items():
        if number in skip:
            continue
        lines += [f"第{number}部分 {zh} / Section {number}: {en}", f"……{zh}的内容。"]
    return "\n".join(lines)


def sds_upload(un_number: str, name: str = "货物", *, skip: tuple[int, ...] = ()) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        f"SDS-{un_number}.txt", sds_text(un_number, name, skip=skip).encode("utf-8"), content_type="text/plain"
    )


def dg_form(*, eta_hours: float = 48, goods: list[dict] | None = None, **changes: Any) -> dict[str, Any]:
    form = {
        "conveyance_mode": "vessel",
        "vessel_name": "远海明珠",
        "voyage": "2611E",
        "port_of_loading": "Busan, KR",
        "eta": (timezone.now() + timedelta(hours=eta_hours)).isoformat(),
        "goods": goods
        or [
            {
                "un_number": "UN1203",
                "proper_shipping_name": "汽油 GASOLINE",
                "hazard_class": "3",
                "packing_group": "II",
                "quantity": "18000",
                "unit": "L",
                "packaging": "IBC 31A",
            },
            {
                "un_number": "UN1090",
                "proper_shipping_name": "丙酮 ACETONE",
                "hazard_class": "3",
                "packing_group": "II",
                "quantity": "4000",
                "unit": "L",
                "packaging": "200 L steel drums 1A1",
            },
        ],
        "destination": "port-yard-3",
        "route": "3号泊位 → 港区3号堆场（港内道路，约1.2 km）",
        "onward_by_road": False,
        "protective_measures": "防静电接地，禁火区作业，配备泡沫灭火器与堵漏器材。",
        "emergency_contact_name": "刘德明",
        "emergency_contact_phone": "+86 22 6688 1234",
    }
    form.update(changes)
    return form


AMMONIUM_NITRATE = {
    "un_number": "1942",
    "proper_shipping_name": "硝酸铵 AMMONIUM NITRATE",
    "hazard_class": "5.1",
    "packing_group": "III",
    "quantity": "20",
    "unit": "t",
    "packaging": "25 kg woven bags 5H1",
}
