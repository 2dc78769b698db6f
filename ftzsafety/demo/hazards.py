"""Demo hazards: a few dozen realistic reports in every state of the loop, and field officers with positions in the
demo zone for nearest-officer dispatch. Everything goes through the hazards and enforcement services (audited like
any other change) and is marked `is_demo`. Deterministic (seeded random); skipped when demo hazards exist.

Overdue examples are real: their deadline is set a second ahead, the seed waits for it to pass, and the escalation
service then finds them overdue as the scheduled task would.
"""

import random
import time
from datetime import timedelta
from typing import Any

from django.utils import timezone

from ftzsafety.accounts.models import Organisation, User
from ftzsafety.accounts.services import totp_assign_demo_secret, user_create
from ftzsafety.demo.zone import DEMO_PASSWORD
from ftzsafety.enforcement.selectors import officer_location_get
from ftzsafety.enforcement.services import officer_location_set
from ftzsafety.enterprises.models import Enterprise
from ftzsafety.hazards import services
from ftzsafety.hazards.models import Hazard

SEED = 20261207

# Extra field officers (user name, department code, role, name); the zone's own demo users are used as well.
OFFICERS: tuple[tuple[str, str, str, str], ...] = (
    ("market_officer_2", "market", "officer", "钱浩"),
    ("market_head", "market", "department_head", "冯国强"),
    ("fire_officer_2", "fire", "officer", "邓宇航"),
    ("fire_head", "fire", "department_head", "曹振华"),
    ("transport_officer", "transport", "officer", "蒋文涛"),
    ("transport_head", "transport", "department_head", "彭志刚"),
    ("ecology_officer", "ecology", "officer", "汪晓丽"),
    ("emergency_officer_2", "emergency", "officer", "田磊"),
)
# Where each officer is (latitude, longitude) in the demo zone; availability.
POSITIONS: dict[str, tuple[float, float, bool]] = {
    "market_officer": (38.9760, 117.7180, True),
    "market_officer_2": (38.9600, 117.7600, True),
    "market_head": (38.9850, 117.7300, False),
    "fire_officer": (38.9700, 117.8000, True),
    "fire_officer_2": (38.9900, 117.7250, True),
    "fire_head": (38.9650, 117.7550, True),
    "transport_officer": (38.9600, 117.8100, True),
    "transport_head": (38.9800, 117.7950, True),
    "ecology_officer": (38.9700, 117.7650, True),
    "emergency_officer": (38.9580, 117.7700, True),
    "emergency_officer_2": (38.9920, 117.7100, True),
    "emergency_head": (38.9750, 117.7500, False),
    "maritime_officer": (38.9550, 117.8200, True),
}

# (category, level, urgent, title, description, final state)
SCENARIOS: tuple[tuple[str, str, bool, str, str, str], ...] = (
    (
        "hazardous_chemicals",
        "major",
        False,
        "甲类仓库超量储存甲醇",
        "2号甲类仓库甲醇实际储存约620吨，超过核定储量。",
        "listed",
    ),
    (
        "hazardous_chemicals",
        "general",
        False,
        "禁忌物料混存",
        "氧化剂与易燃液体存放于同一防火分区，未隔开。",
        "rectifying",
    ),
    ("hazardous_chemicals", "general", False, "化学品无中文安全技术说明书", "库内3种进口化学品仅有英文SDS。", "closed"),
    (
        "hazardous_chemicals",
        "major",
        False,
        "罐区未设紧急切断装置",
        "液化石油气储罐进出料管道无紧急切断阀。",
        "submitted_major",
    ),
    ("hazardous_chemicals", "general", False, "静电接地线断开", "装卸台静电接地夹损坏未修复。", "overdue"),
    ("fire", "general", False, "疏散通道堆放货物", "仓库东侧疏散通道堆放托盘，宽度不足1米。", "rectifying"),
    ("fire", "general", False, "灭火器过期", "车间12具灭火器超过检验有效期。", "closed"),
    ("fire", "general", True, "仓库冒烟", "保税仓库屋顶有烟冒出，无人处置。", "dispatched"),
    ("fire", "general", False, "安全出口上锁", "夜班期间安全出口被锁闭。", "submitted"),
    ("fire", "general", False, "消防车道被占用", "集装箱卡车长期停放在消防车道。", "overdue"),
    ("fire", "general", False, "货物紧贴照明灯具堆放", "堆垛顶部距灯具不足0.5米。", "assigned"),
    ("electrical", "general", False, "配电箱门缺失", "车间配电箱门缺失，带电部位外露。", "rectifying"),
    ("electrical", "general", False, "私拉电线给电动车充电", "员工宿舍楼下私拉电线充电。", "reported"),
    ("electrical", "general", False, "电缆绝缘层破损", "冲压车间地沟电缆绝缘破损。", "closed"),
    ("special_equipment", "general", False, "叉车未定期检验", "3台叉车超过检验有效期仍在使用。", "rectifying"),
    (
        "special_equipment",
        "general",
        True,
        "门式起重机钢丝绳断股",
        "场桥起升钢丝绳断股，仍在作业。",
        "dispatched_accepted",
    ),
    ("special_equipment", "general", False, "压力容器安全阀未校验", "空压机储气罐安全阀超期未校验。", "submitted"),
    ("special_equipment", "general", False, "电梯维保记录缺失", "货梯近三个月无维保记录。", "dismissed"),
    ("special_equipment", "general", False, "叉车司机无证操作", "现场叉车司机未持特种设备作业人员证。", "overdue"),
    (
        "port_dg",
        "general",
        False,
        "危险货物集装箱隔离不足",
        "第3类与第5.1类集装箱相邻堆放，未按隔离要求。",
        "rectifying",
    ),
    ("port_dg", "major", False, "无港口危险货物作业附证装卸", "码头装卸第2.1类危险货物，附证不含该品名。", "listed"),
    ("port_dg", "general", False, "堆场危险货物台账与申报不符", "台账数量与申报相差12个标准箱。", "reported"),
    ("port_dg", "general", False, "泄漏应急物资不足", "堆场吸附棉、围堰等应急物资不足。", "closed"),
    ("hazardous_waste", "general", False, "废机油桶露天堆放", "危险废物暂存间外露天堆放废机油桶。", "assigned"),
    ("hazardous_waste", "general", False, "危废暂存间无防渗", "危险废物暂存间地面无防渗措施。", "reported"),
    ("confined_space", "general", False, "污水池作业未检测气体", "清理污水池前未进行气体检测。", "dismissed_reason"),
    ("confined_space", "general", False, "有限空间无警示标志", "化粪池、污水井无警示标志。", "closed"),
    ("work_at_height", "general", False, "货架上层作业无防坠措施", "人员攀爬货架上层取货，未系安全带。", "rectifying"),
    ("work_at_height", "general", False, "屋面检修未设护栏", "仓库屋面检修区域临边无护栏。", "submitted"),
    ("other", "general", False, "园区道路塌陷", "物流大道路面塌陷约2平方米。", "reported"),
    ("other", "general", False, "货架严重变形", "重型货架立柱被叉车撞击变形。", "assigned"),
    (
        "electrical",
        "general",
        False,
        "锂电池充电区无人值守",
        "锂电池叉车充电区夜间无人值守且无自动断电。",
        "rectifying",
    ),
    ("fire", "general", False, "锂电池与纸箱混放", "锂电池成品与纸质包装材料混合堆放。", "reopened"),
    ("hazardous_chemicals", "general", False, "装卸人员未穿戴防护用品", "腐蚀品装卸人员未佩戴防护面罩。", "closed"),
)

SOURCES = ("public", "agency", "officer", "enterprise")


def _department(code: str) -> Organisation | None:
    return Organisation.objects.filter(department_code=code).first()


def _seed_officers(report: Any) -> None:
    for username, code, role, name in OFFICERS:
        if User.objects.filter(username__iexact=username).exists():
            report.count("users", created=False)
            continue
        organisation = _department(code)
        if organisation is None:
            continue
        user = user_create(
            actor=None,
            username=username,
            organisation=organisation,
            roles=[role],
            password=DEMO_PASSWORD,
            full_name=name,
            is_demo=True,
        )
        totp_assign_demo_secret(user=user)
        report.count("users", created=True)
    for username, (lat, lon, available) in POSITIONS.items():
        user = User.objects.filter(username=username, is_active=True).first()
        if user is not None and user.is_government and officer_location_get(actor=user) is None:
            officer_location_set(actor=user, latitude=lat, longitude=lon, available=available, is_demo=True)


def _officer_for(hazard: Hazard) -> User | None:
    """An officer of the responsible department (the first in user-name order)."""
    return (
        User.objects.filter(organisation_id=hazard.department_id, groups__name="officer", is_active=True)
        .order_by("username")
        .first()
    )


def _head_for(hazard: Hazard) -> User | None:
    return (
        User.objects.filter(organisation_id=hazard.department_id, groups__name="department_head", is_active=True)
        .order_by("username")
        .first()
    )


def _enterprise_actor(hazard: Hazard) -> User | None:
    if hazard.enterprise is None or hazard.enterprise.organisation_id is None:
        return None
    return (
        User.objects.filter(organisation_id=hazard.enterprise.organisation_id, is_active=True)
        .order_by("username")
        .first()
    )


def seed_hazards(report: Any) -> None:
    """Officers and their positions, then the hazards (only when no demo hazard exists yet)."""
    _seed_officers(report)
    if Hazard.objects.filter(is_demo=True).exists():
        report.count("hazards", created=False)
        return
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not a secret
    enterprises = list(Enterprise.objects.filter(is_demo=True, latitude__isnull=False).order_by("uscc"))
    account = Enterprise.objects.filter(is_demo=True, organisation__isnull=False).order_by("uscc").first()
    agency = User.objects.filter(username="agency_staff").first()
    overdue: list[int] = []
    for index, (category, level, urgent, title, description, state) in enumerate(SCENARIOS):
        # Rectifications are submitted by the enterprise's own people: those examples use the firm with accounts.
        needs_account = state in ("submitted", "submitted_major", "closed", "reopened") or index % 5 == 0
        enterprise = account if needs_account and account is not None else rng.choice(enterprises)
        source = SOURCES[index % len(SOURCES)]
        actor = None
        if source == "agency" and agency is not None:
            actor = agency
        elif source == "enterprise" and enterprise == account:
            actor = User.objects.filter(organisation_id=account.organisation_id).order_by("username").first()
        hazard = services.hazard_report(
            actor=actor,
            category=category,
            level=level,
            urgent=urgent,
            title=title,
            description=description,
            enterprise_uscc=enterprise.uscc,
            latitude=round(enterprise.latitude + rng.uniform(-0.0008, 0.0008), 6),
            longitude=round(enterprise.longitude + rng.uniform(-0.0008, 0.0008), 6),
            location_text=enterprise.address,
            reporter_name="" if actor else rng.choice(["", "张先生", "李女士", ""]),
            is_demo=True,
        )
        report.count("hazards", created=True)
        _advance(hazard, state, overdue)
    if overdue:
        # The deadlines of the overdue examples were set a moment ahead; wait for them to pass, then escalate.
        time.sleep(1.2)
        services.hazards_escalate()


def _advance(hazard: Hazard, state: str, overdue: list[int]) -> None:
    if state in ("reported", "dispatched"):
        return
    if state == "dispatched_accepted":
        from ftzsafety.enforcement.selectors import dispatch_open_offer

        offer = dispatch_open_offer(hazard_id=hazard.pk)
        if offer is not None:
            services.hazard_dispatch_respond(actor=offer.officer, hazard_id=hazard.pk, accept=True)
        return
    officer = _officer_for(hazard)
    if officer is None:
        return  # the zone administration's queue keeps it
    services.hazard_assign(actor=officer, hazard_id=hazard.pk)
    if state == "assigned":
        return
    if state in ("dismissed", "dismissed_reason"):
        services.hazard_verify(
            actor=officer, hazard_id=hazard.pk, confirmed=False, reason="现场核查未发现所述情况，已拍照留存。"
        )
        return
    deadline = timezone.now() + timedelta(seconds=1) if state == "overdue" else None
    services.hazard_verify(actor=officer, hazard_id=hazard.pk, confirmed=True, deadline=deadline)
    if state in ("rectifying", "listed", "overdue"):
        if state == "overdue":
            overdue.append(hazard.pk)
        return
    firm = _enterprise_actor(hazard)
    rectifier = firm if firm is not None else officer
    if hazard.enterprise is not None and firm is None:
        return  # an enterprise without an account rectifies on paper; the hazard stays "rectification required"
    services.rectification_submit(actor=rectifier, hazard_id=hazard.pk, note="已按要求整改完毕，附整改前后照片。")
    if state in ("submitted", "submitted_major"):
        return
    if state == "reopened":
        services.rectification_accept(
            actor=officer, hazard_id=hazard.pk, passed=False, opinion="复查发现仍未分区存放。"
        )
        return
    accepter = _head_for(hazard) if hazard.level == "major" else officer
    if accepter is not None:
        services.rectification_accept(actor=accepter, hazard_id=hazard.pk, passed=True, opinion="复查合格。")
