"""The fictional demo zone: 滨海自贸试验区（演示）/ Binhai Free Trade Zone (demo), near 38.97° N 117.75° E.

Three areas a few kilometres across, laid west to east so that they never overlap: the advanced manufacturing
park inland, the bonded logistics park in the middle and the port area on the coast (its east edge follows the
piers). Boundaries are GeoJSON Polygons in WGS 84 (RFC 7946: [longitude, latitude], exterior ring
counter-clockwise and closed). Every name here is invented; nothing refers to a real organisation.
"""

import itertools
from dataclasses import dataclass

from ftzsafety.accounts.choices import DepartmentCode, OrganisationKind
from ftzsafety.accounts.roles import Role
from ftzsafety.enterprises.choices import AreaKind

ZONE_NAME_ZH = "滨海自贸试验区（演示）"
ZONE_NAME_EN = "Binhai Free Trade Zone (demo)"
ZONE_CENTRE = (38.97, 117.75)  # latitude, longitude
DIVISION_CODE = "120116"  # 天津市滨海新区, a real coastal district (GB/T 2260), for the demo credit codes

# The one demo password: ≥ 8 characters from four classes and no user name in it (GB/T 22239-2019 §8.1.4.1).
DEMO_PASSWORD = "Binhai#Demo2025"  # noqa: S105 - printed on purpose; demo accounts only


@dataclass(frozen=True)
class AreaSpec:
    code: str
    kind: str
    name_zh: str
    name_en: str
    address_prefix: str
    roads: tuple[str, ...]
    ring: tuple[tuple[float, float], ...]  # (longitude, latitude), closed

    @property
    def boundary(self) -> dict:
        return {"type": "Polygon", "coordinates": [[[lon, lat] for lon, lat in self.ring]]}

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        lons = [lon for lon, _ in self.ring]
        lats = [lat for _, lat in self.ring]
        return min(lons), min(lats), max(lons), max(lats)


PORT, BONDED, MANUFACTURING = "port-area", "bonded-park", "manufacturing-park"

AREAS: tuple[AreaSpec, ...] = (
    AreaSpec(
        code=MANUFACTURING,
        kind=AreaKind.MANUFACTURING,
        name_zh="先进制造产业园",
        name_en="Advanced Manufacturing Park",
        address_prefix="滨海自贸试验区先进制造产业园",
        roads=("创新大道", "智造路", "新材料路", "精工路", "生物医药路", "电子信息路"),
        ring=(
            (117.702, 38.970),
            (117.724, 38.968),
            (117.741, 38.972),
            (117.742, 38.988),
            (117.736, 39.001),
            (117.716, 39.002),
            (117.700, 38.994),
            (117.702, 38.970),
        ),
    ),
    AreaSpec(
        code=BONDED,
        kind=AreaKind.BONDED_LOGISTICS,
        name_zh="保税物流园区",
        name_en="Bonded Logistics Park",
        address_prefix="滨海自贸试验区保税物流园区",
        roads=("保税路", "物流大道", "关港路", "跨境路", "仓储一路", "仓储二路"),
        ring=(
            (117.749, 38.953),
            (117.770, 38.952),
            (117.772, 38.966),
            (117.771, 38.981),
            (117.756, 38.982),
            (117.748, 38.975),
            (117.749, 38.953),
        ),
    ),
    AreaSpec(
        code=PORT,
        kind=AreaKind.PORT,
        name_zh="港口作业区",
        name_en="Port Area",
        address_prefix="滨海自贸试验区港口作业区",
        roads=("海港大道", "泊位路", "码头一路", "码头二路", "罐区路", "航运路"),
        ring=(
            (117.779, 38.950),
            (117.805, 38.948),
            (117.824, 38.952),
            (117.825, 38.960),
            (117.812, 38.962),
            (117.825, 38.968),
            (117.824, 38.976),
            (117.812, 38.978),
            (117.823, 38.985),
            (117.818, 38.995),
            (117.790, 38.996),
            (117.778, 38.984),
            (117.779, 38.950),
        ),
    ),
)
AREAS_BY_CODE = {area.code: area for area in AREAS}


def point_in_ring(lon: float, lat: float, ring: tuple[tuple[float, float], ...] | list) -> bool:
    """Ray casting (even-odd rule) on a closed ring; good enough for areas a few kilometres across."""
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


@dataclass(frozen=True)
class OrganisationSpec:
    code: str
    kind: str
    name_zh: str
    name_en: str
    department_code: str = ""
    parent: str = ""  # code of the parent organisation


ZONE_ADMIN_CODE = "binhai-zone-admin"

ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    OrganisationSpec(
        ZONE_ADMIN_CODE,
        OrganisationKind.ZONE_ADMINISTRATION,
        "滨海自贸试验区管理委员会（演示）",
        "Binhai Free Trade Zone Administrative Committee (demo)",
        department_code=DepartmentCode.ZONE_ADMIN,
    ),
    OrganisationSpec(
        "dept-emergency",
        OrganisationKind.DEPARTMENT,
        "滨海自贸试验区应急管理局",
        "Binhai FTZ Emergency Management Bureau",
        DepartmentCode.EMERGENCY,
        ZONE_ADMIN_CODE,
    ),
    OrganisationSpec(
        "dept-customs",
        OrganisationKind.DEPARTMENT,
        "滨海海关",
        "Binhai Customs",
        DepartmentCode.CUSTOMS,
        ZONE_ADMIN_CODE,
    ),
    OrganisationSpec(
        "dept-maritime",
        OrganisationKind.DEPARTMENT,
        "滨海海事局",
        "Binhai Maritime Safety Administration",
        DepartmentCode.MARITIME,
        ZONE_ADMIN_CODE,
    ),
    OrganisationSpec(
        "dept-market",
        OrganisationKind.DEPARTMENT,
        "滨海自贸试验区市场监督管理局",
        "Binhai FTZ Administration for Market Regulation",
        DepartmentCode.MARKET,
        ZONE_ADMIN_CODE,
    ),
    OrganisationSpec(
        "dept-commerce",
        OrganisationKind.DEPARTMENT,
        "滨海自贸试验区商务局",
        "Binhai FTZ Commerce Bureau",
        DepartmentCode.COMMERCE,
        ZONE_ADMIN_CODE,
    ),
    OrganisationSpec(
        "dept-transport",
        OrganisationKind.DEPARTMENT,
        "滨海自贸试验区交通运输局",
        "Binhai FTZ Transport Bureau",
        DepartmentCode.TRANSPORT,
        ZONE_ADMIN_CODE,
    ),
    OrganisationSpec(
        "dept-ecology",
        OrganisationKind.DEPARTMENT,
        "滨海自贸试验区生态环境局",
        "Binhai FTZ Ecology and Environment Bureau",
        DepartmentCode.ECOLOGY,
        ZONE_ADMIN_CODE,
    ),
    OrganisationSpec(
        "dept-fire",
        OrganisationKind.DEPARTMENT,
        "滨海自贸试验区消防救援支队",
        "Binhai FTZ Fire and Rescue Detachment",
        DepartmentCode.FIRE,
        ZONE_ADMIN_CODE,
    ),
    OrganisationSpec(
        "platform-ops",
        OrganisationKind.PLATFORM,
        "滨海自贸试验区安全监管平台运维中心",
        "Binhai FTZ Safety Supervision Platform Operations Centre",
    ),
    OrganisationSpec(
        "assoc-hazchem",
        OrganisationKind.ASSOCIATION,
        "滨海自贸试验区危险化学品行业协会",
        "Binhai FTZ Hazardous Chemicals Industry Association",
    ),
    OrganisationSpec(
        "agency-anxin",
        OrganisationKind.AGENCY,
        "滨海安信检测技术服务有限公司",
        "Binhai Anxin Inspection and Testing Services Co., Ltd.",
    ),
    OrganisationSpec(
        "expert-pool",
        OrganisationKind.EXPERT_POOL,
        "滨海自贸试验区安全生产专家库",
        "Binhai FTZ Work Safety Expert Pool",
    ),
    OrganisationSpec(
        "foreign-nordhafen",
        OrganisationKind.FOREIGN_AGENCY,
        "北港市港口应急协调中心（演示）",
        "Nordhafen Port Emergency Coordination Centre (demo)",
    ),
    OrganisationSpec(
        "peer-donghai",
        OrganisationKind.PEER_ZONE,
        "东海自贸试验区（演示）",
        "Donghai Free Trade Zone (demo)",
    ),
    OrganisationSpec(
        "port-binhai",
        OrganisationKind.PORT,
        "滨海港港口管理局",
        "Binhai Port Authority",
    ),
    OrganisationSpec(
        "park-hinterland",
        OrganisationKind.PARK,
        "滨海腹地物流园",
        "Binhai Hinterland Logistics Park",
    ),
)

# The enterprise whose account organisation the demo enterprise users belong to (a hazardous-chemicals trader).
ENTERPRISE_ACCOUNT = "enterprise-account"


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    organisation: str  # an organisation code, or ENTERPRISE_ACCOUNT
    full_name: str


USERS: tuple[UserSpec, ...] = (
    UserSpec("commander", Role.COMMANDER, ZONE_ADMIN_CODE, "周建国"),
    UserSpec("analyst", Role.ANALYST, ZONE_ADMIN_CODE, "林晓雯"),
    UserSpec("emergency_officer", Role.OFFICER, "dept-emergency", "王海涛"),
    UserSpec("emergency_head", Role.DEPARTMENT_HEAD, "dept-emergency", "陈立新"),
    UserSpec("customs_reviewer", Role.REVIEWER, "dept-customs", "李静"),
    UserSpec("maritime_officer", Role.OFFICER, "dept-maritime", "孙志远"),
    UserSpec("market_officer", Role.OFFICER, "dept-market", "郑雅琴"),
    UserSpec("fire_officer", Role.OFFICER, "dept-fire", "高峰"),
    UserSpec("transport_reviewer", Role.REVIEWER, "dept-transport", "赵国强"),
    UserSpec("commerce_reviewer", Role.REVIEWER, "dept-commerce", "钱文静"),
    UserSpec("enterprise_admin", Role.ENTERPRISE_ADMIN, ENTERPRISE_ACCOUNT, "刘德明"),
    UserSpec("enterprise_staff", Role.ENTERPRISE_STAFF, ENTERPRISE_ACCOUNT, "何小燕"),
    UserSpec("association_staff", Role.ASSOCIATION_STAFF, "assoc-hazchem", "吴国栋"),
    UserSpec("agency_staff", Role.AGENCY_STAFF, "agency-anxin", "黄文斌"),
    UserSpec("expert", Role.EXPERT, "expert-pool", "许明哲"),
    UserSpec("system_admin", Role.SYSTEM_ADMIN, "platform-ops", "马骏"),
    UserSpec("security_admin", Role.SECURITY_ADMIN, "platform-ops", "杨帆"),
    UserSpec("audit_admin", Role.AUDIT_ADMIN, "platform-ops", "罗慧"),
)
