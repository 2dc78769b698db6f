"""Demo filings: the zone's destinations and a realistic, labelled history of filings over the past six weeks,
created through the filings services with the filings clock set to each moment (`filings.clock.frozen`), so the
timeline, the audit trail, the certificates and the credit events are exactly what the services write.

Deterministic (seeded random); skipped when demo filings exist already. Everything is marked demo.
"""

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ftzsafety.accounts.models import User
from ftzsafety.filings import clock, services
from ftzsafety.filings.models import DepartmentReview, Destination, Filing
from ftzsafety.filings.sds import SECTION_TITLES

SEED = 20261129
HISTORY_FILINGS = 36
HISTORY_DAYS = 42

DESTINATIONS = (
    # code, zh, en, kind, area, classes, name in the storage inventories
    ("port-dg-yard-1", "港口作业区1号危险货物集装箱堆场", "Port Area DG Container Yard No. 1", "yard", "port-area",
     ["2", "3", "4.1", "6.1", "8", "9"], "港口作业区1号危险货物堆场"),
    ("port-dg-yard-2", "港口作业区2号危险货物集装箱堆场", "Port Area DG Container Yard No. 2", "yard", "port-area",
     ["5.1", "8", "9"], "港口作业区2号危险货物堆场"),
    ("bonded-dg-store-3", "保税物流园区3号危险品库", "Bonded Logistics Park DG Store No. 3", "warehouse", "bonded-park",
     ["3", "8", "9"], "保税物流园区 3号危险品库"),
    ("bonded-cold-store-5", "保税物流园区5号丙类仓库", "Bonded Logistics Park Class-C Store No. 5", "warehouse",
     "bonded-park", ["9"], "保税物流园区 5号丙类仓库"),
)  # fmt: skip


@dataclass(frozen=True)
class Goods:
    un: str
    name: str
    hazard_class: str
    packing_group: str
    unit: str
    packaging: str
    low: int
    high: int


GOODS = {
    "gasoline": Goods("UN1203", "汽油 GASOLINE", "3", "II", "L", "IBC 31A", 8000, 24000),
    "acetone": Goods("UN1090", "丙酮 ACETONE", "3", "II", "L", "200 L steel drums 1A1", 2000, 8000),
    "ethanol": Goods("UN1170", "乙醇 ETHANOL", "3", "II", "L", "ISO tank T4", 10000, 24000),
    "paint": Goods("UN1263", "涂料 PAINT", "3", "III", "kg", "20 L steel pails 1A2", 1000, 6000),
    "hcl": Goods("UN1789", "盐酸 HYDROCHLORIC ACID", "8", "II", "L", "1000 L IBC 31H1", 4000, 16000),
    "naoh": Goods("UN1824", "氢氧化钠溶液 SODIUM HYDROXIDE SOLUTION", "8", "II", "L", "IBC 31H1", 4000, 16000),
    "phosphoric": Goods("UN1805", "磷酸溶液 PHOSPHORIC ACID SOLUTION", "8", "III", "L", "IBC 31H1", 4000, 12000),
    "batteries": Goods("UN3480", "锂离子电池 LITHIUM ION BATTERIES", "9", "", "kg", "4G fibreboard boxes", 500, 5000),
    "an": Goods("UN1942", "硝酸铵 AMMONIUM NITRATE", "5.1", "III", "t", "1 t FIBC 13H3", 10, 40),
}
# Loads that go together (no segregation conflict) and where they go.
LOADS = (
    (("gasoline", "acetone"), "port-dg-yard-1"),
    (("ethanol",), "port-dg-yard-1"),
    (("paint", "batteries"), "bonded-dg-store-3"),
    (("hcl", "naoh"), "port-dg-yard-1"),
    (("phosphoric", "batteries"), "bonded-dg-store-3"),
    (("an",), "port-dg-yard-2"),
    (("batteries",), "bonded-cold-store-5"),
    (("acetone", "hcl"), "bonded-dg-store-3"),
)
VESSELS = (
    "远海明珠",
    "中远星河",
    "MAERSK KOWLOON",
    "EVER GIVEN BAY",
    "海丰连云",
    "ONE HARMONY",
    "东方之星",
    "BINHAI EXPRESS",
)
PORTS = (
    "Busan, KR",
    "Yokohama, JP",
    "Singapore, SG",
    "Rotterdam, NL",
    "Hamburg, DE",
    "Kaohsiung, TW",
    "Laem Chabang, TH",
)
# Typical hours a department takes (low, high).
REVIEW_HOURS = {
    "customs": (2, 10),
    "emergency": (3, 18),
    "maritime": (1, 8),
    "transport": (2, 12),
    "fire": (6, 30),
    "commerce": (4, 24),
}
REVIEWERS = {
    "customs": "customs_reviewer",
    "emergency": "emergency_officer",
    "maritime": "maritime_officer",
    "fire": "fire_officer",
    "transport": "transport_reviewer",
    "commerce": "commerce_reviewer",
}


def _sds(goods: Goods) -> SimpleUploadedFile:
    lines = [f"安全技术说明书（演示）/ Safety data sheet (demo) — {goods.name} {goods.un}", "GB/T 16483-2008"]
    for number, (zh, en) in SECTION_TITLES.items():
        lines += [f"第{number}部分 {zh} / Section {number}: {en}", f"{zh}：演示内容。Demo content."]
    return SimpleUploadedFile(f"SDS-{goods.un}.txt", "\n".join(lines).encode("utf-8"), content_type="text/plain")


def seed_filings(report: Any = None) -> dict[str, int]:
    """Destinations, then the history. Returns counts; also adds them to the seed report when given."""
    counts = {"destinations": _seed_destinations(), "filings": 0}
    if Filing.objects.filter(is_demo=True).exists():
        return counts
    users = {u.username: u for u in User.objects.filter(username__in=[*REVIEWERS.values(), "enterprise_admin"])}
    applicant = users.get("enterprise_admin")
    if applicant is None or not applicant.is_enterprise_user:
        return counts
    counts["filings"] = _seed_history(applicant, users)
    if report is not None:
        report.created["destinations"] += counts["destinations"]
        report.created["filings"] += counts["filings"]
    return counts


def _seed_destinations() -> int:
    created = 0
    for code, zh, en, kind, area, classes, storage in DESTINATIONS:
        if Destination.objects.filter(code=code).exists():
            continue
        services.destination_save(
            actor=None,
            destination=Destination(
                code=code,
                name_zh=zh,
                name_en=en,
                kind=kind,
                area_code=area,
                accepted_classes=classes,
                storage_name=storage,
                is_demo=True,
            ),
        )
        created += 1
    return created


def _decide_all(filing: Filing, users: dict[str, User], start: Any, rng: random.Random, *, reject: bool) -> None:
    reviews = list(DepartmentReview.objects.filter(filing=filing).order_by("department"))
    plan = []
    for review in reviews:
        low, high = REVIEW_HOURS.get(review.department, (2, 12))
        plan.append((start + timedelta(hours=rng.uniform(low, high)), review))
    plan.sort(key=lambda item: item[0])
    asked = None
    if not reject and rng.random() < 0.2:  # one department asks for information first
        asked = plan[0][1]
    rejecter = plan[-1][1] if reject else None
    for at, review in plan:
        reviewer = users[REVIEWERS[review.department]]
        if review is asked:
            with clock.frozen(at):
                services.review_decide(
                    actor=reviewer, review_id=review.pk, decision="request_info",
                    opinion="请补充提单及包装检验结果单。",
                )  # fmt: skip
            answered = at + timedelta(hours=rng.uniform(1, 6))
            with clock.frozen(answered):
                services.filing_provide_information(
                    actor=users["enterprise_admin"],
                    filing_id=filing.pk,
                    response="已补充提单与包装检验结果单（演示）。",
                )
            at = answered + timedelta(hours=rng.uniform(0.5, 3))
        with clock.frozen(at):
            if review is rejecter:
                services.review_decide(
                    actor=reviewer, review_id=review.pk, decision="reject", opinion="包装检验结果不符合要求（演示）。"
                )
                return
            services.review_decide(actor=reviewer, review_id=review.pk, decision="approve", opinion="同意（演示）。")


def _qualification(applicant: User, users: dict[str, User], at: Any) -> None:
    with clock.frozen(at):
        filing = services.filing_create(
            actor=applicant,
            filing_type="safety_qualification",
            is_demo=True,
            form={
                "qualification_kind": "hazchem_trading",
                "licence_number": "津滨危化经字〔2025〕000317",
                "issuing_authority": "滨海自贸试验区应急管理局（演示）",
                "valid_from": (timezone.localdate(at) - timedelta(days=300)).isoformat(),
                "valid_until": (timezone.localdate(at) + timedelta(days=795)).isoformat(),
                "scope": "汽油、丙酮、乙醇、盐酸、氢氧化钠溶液、磷酸溶液、硝酸铵（带储存经营，演示）",
            },
        )
        scan = SimpleUploadedFile("licence-demo.pdf", b"%PDF-1.4\n% demo licence scan\ntrailer<<>>\n%%EOF\n")
        services.filing_attachment_add(actor=applicant, filing_id=filing.pk, upload=scan, kind="licence")
        services.filing_submit(actor=applicant, filing_id=filing.pk)
    _decide_all(filing, users, at, random.Random(SEED + 1), reject=False)  # noqa: S311 - demo data, deterministic


def _seed_history(applicant: User, users: dict[str, User]) -> int:
    rng = random.Random(SEED)  # noqa: S311 - demo data, deterministic
    now = timezone.now()
    begin = now - timedelta(days=HISTORY_DAYS)
    _qualification(applicant, users, begin - timedelta(days=2))
    created = 1
    for index in range(HISTORY_FILINGS):
        at = begin + timedelta(days=HISTORY_DAYS * index / HISTORY_FILINGS, hours=rng.uniform(8, 17) - 12)
        names, destination = rng.choice(LOADS)
        by_vessel = rng.random() < 0.7
        goods = []
        for name in names:
            g = GOODS[name]
            goods.append({
                "un_number": g.un, "proper_shipping_name": g.name, "hazard_class": g.hazard_class,
                "packing_group": g.packing_group, "quantity": str(rng.randint(g.low, g.high)), "unit": g.unit,
                "packaging": g.packaging,
            })  # fmt: skip
        eta_hours = rng.uniform(30, 96)
        late = index in (5, 19)  # filed too late: pre-review stops it, the enterprise moves the ETA
        form = {
            "conveyance_mode": "vessel" if by_vessel else "vehicle",
            "vessel_name": rng.choice(VESSELS) if by_vessel else "",
            "voyage": f"{rng.randint(2540, 2648)}{rng.choice('EWNS')}" if by_vessel else "",
            "vehicle_plate": "" if by_vessel else f"津{rng.choice('ABCDE')}{rng.randint(10000, 99999)}",
            "port_of_loading": rng.choice(PORTS) if by_vessel else "天津港东疆港区",
            "eta": (at + timedelta(hours=18 if late else eta_hours)).isoformat(),
            "goods": goods,
            "destination": destination,
            "route": "码头 → 港区内道路 → 目的地（演示）",
            "onward_by_road": rng.random() < 0.3,
            "protective_measures": "防静电接地；配备洗眼器、吸附材料与相应灭火器材；作业人员穿戴防护用品（演示）。",
            "emergency_contact_name": "刘德明",
            "emergency_contact_phone": "+86 22 6688 1234",
        }
        with clock.frozen(at):
            filing = services.filing_create(actor=applicant, filing_type="dg_pre_arrival", form=form, is_demo=True)
            for name in names:
                services.filing_attachment_add(
                    actor=applicant, filing_id=filing.pk, upload=_sds(GOODS[name]), kind="sds",
                    un_number=GOODS[name].un,
                )  # fmt: skip
            filing = services.filing_submit(actor=applicant, filing_id=filing.pk)
        if filing.status == "prereview_failed":
            at = at + timedelta(hours=rng.uniform(1, 4))
            form["eta"] = (at + timedelta(hours=eta_hours)).isoformat()
            with clock.frozen(at):
                services.filing_update(actor=applicant, filing_id=filing.pk, form=form)
                filing = services.filing_submit(actor=applicant, filing_id=filing.pk)
        created += 1
        if filing.status != "in_review":
            continue
        if index >= HISTORY_FILINGS - 3:
            continue  # the most recent ones are still in the departments' queues
        _decide_all(filing, users, at, rng, reject=index in (11, 27))
    return created
