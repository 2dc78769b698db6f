"""Automatic pre-review (PRODUCT.md P3.4): every check of a filing before any person looks at it.

Each finding carries a rule id, a severity (blocking stops the filing; warning informs the reviewers), a message in
Chinese and English, and its source. The checks read the dangerous-goods reference lists and segregation table
(`ftzsafety.dangerous_goods` selectors/services), the park storage inventories (`ftzsafety.exchange`) and the
enterprise's qualification filings; they write nothing.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from ftzsafety.dangerous_goods.identifiers import class_division, class_number
from ftzsafety.filings import sds
from ftzsafety.filings.choices import AttachmentKind, FilingTypeCode, Severity

ETA_MIN_HOURS = 24
STOCK_WINDOW_DAYS = 30

SRC_24H = (
    "PRODUCT.md P3.4 提前24小时线上备案; 船舶载运危险货物安全监督管理规定 (交通运输部令2018年第11号) 进出港24小时前申报"
)
SRC_LISTS = "GB 12268-2025 危险货物品名表; 49 CFR 172.101 (REFERENCE.md “Dangerous-goods lists”)"
SRC_CLASSES = "GB 6944-2012; UN Model Regulations (REFERENCE.md “Dangerous-goods classes”)"
SRC_SDS = "GB/T 16483-2008 §5; GHS Annex 4 (REFERENCE.md “Safety data sheet — 16 sections”)"
SRC_SEGREGATION = "IMDG Code 7.2.4, 7.2.7 (REFERENCE.md “IMDG Code 7.2.4 segregation table”)"
SRC_STORAGE = "GB 15603-2022 危险化学品仓库储存通则; 危险化学品安全管理条例 第二十四条"
SRC_QUALIFICATION = "危险化学品安全管理条例 第三十三条 (经营许可); 港口危险货物安全管理规定 第十七条"
SRC_TRAINING = "生产经营单位安全培训规定 (国家安全监管总局令第3号) 第四、二十一条"


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str
    message_zh: str
    message_en: str
    source: str
    field: str = ""


@dataclass
class Review:
    findings: list[Finding] = field(default_factory=list)

    def block(self, rule_id: str, zh: str, en: str, source: str, field: str = "") -> None:
        self.findings.append(Finding(rule_id, Severity.BLOCKING, zh, en, source, field))

    def warn(self, rule_id: str, zh: str, en: str, source: str, field: str = "") -> None:
        self.findings.append(Finding(rule_id, Severity.WARNING, zh, en, source, field))


def pre_review(filing: Any, *, actor: Any, now: datetime) -> list[Finding]:
    checks = {
        FilingTypeCode.DG_PRE_ARRIVAL: _dg_checks,
        FilingTypeCode.SAFETY_QUALIFICATION: _qualification_checks,
        FilingTypeCode.FOREIGN_TRAINING: _training_checks,
    }[filing.filing_type.code]
    review = Review()
    checks(filing, actor=actor, now=now, review=review)
    return review.findings


# --- dangerous goods --------------------------------------------------------------------------------------------


def _classes_match(declared: str, listed: str) -> bool:
    """`1.1D` declared for a listed `1.1D` or `1.1`; a bare class listed (`2`, GB 12268 for aerosols) accepts any of
    its divisions."""
    if not declared or not listed:
        return False
    if class_division(declared) == class_division(listed):
        return True
    return class_division(listed) == class_number(listed) and class_number(declared) == class_number(listed)


def _dg_checks(filing: Any, *, actor: Any, now: datetime, review: Review) -> None:
    from ftzsafety.dangerous_goods.selectors import dangerous_goods_by_number

    form = filing.form
    goods = form.get("goods", [])
    eta = parse_datetime(form.get("eta", "")) if form.get("eta") else None
    if eta is not None and eta - now < timedelta(hours=ETA_MIN_HOURS):
        hours = (eta - now).total_seconds() / 3600
        review.block(
            "DG-ETA-24H",
            f"预计到港/到达时间距提交仅 {hours:.1f} 小时，须至少提前 {ETA_MIN_HOURS} 小时备案。",
            f"The ETA is only {hours:.1f} hours after submission; file at least {ETA_MIN_HOURS} hours before arrival.",
            SRC_24H,
            "eta",
        )
    listed = dangerous_goods_by_number(actor=actor, un_numbers=[g["un_number"] for g in goods])
    for index, line in enumerate(goods):
        number = line["un_number"]
        good = listed.get(number)
        if good is None:
            review.block(
                "DG-UN-KNOWN",
                f"第 {index + 1} 行：{number} 不在危险货物品名表中。",
                f"Line {index + 1}: {number} is not in the dangerous-goods list.",
                SRC_LISTS,
                f"goods[{index}].un_number",
            )
            continue
        variant_classes = {v.hazard_class for v in good.variants.all() if v.hazard_class}
        if not any(_classes_match(line["hazard_class"], c) for c in {good.hazard_class, *variant_classes}):
            review.block(
                "DG-CLASS-MATCH",
                f"第 {index + 1} 行：{number} 申报类别 {line['hazard_class']}，品名表为 {good.hazard_class}。",
                f"Line {index + 1}: {number} declared as class {line['hazard_class']}; the list gives "
                f"{good.hazard_class}.",
                SRC_CLASSES,
                f"goods[{index}].hazard_class",
            )
        groups = [g for g in good.packing_groups if g]
        if groups and line["packing_group"] not in groups:
            review.block(
                "DG-PG-MATCH",
                f"第 {index + 1} 行：{number} 包装类别应为 {'/'.join(groups)}，"
                f"申报为 {line['packing_group'] or '空'}。",
                f"Line {index + 1}: {number} has packing group {'/'.join(groups)} in the list; declared "
                f"{line['packing_group'] or 'none'}.",
                SRC_LISTS,
                f"goods[{index}].packing_group",
            )
        elif not groups and line["packing_group"]:
            review.warn(
                "DG-PG-MATCH",
                f"第 {index + 1} 行：{number} 在品名表中无包装类别，申报为 {line['packing_group']}。",
                f"Line {index + 1}: {number} has no packing group in the list; declared {line['packing_group']}.",
                SRC_LISTS,
                f"goods[{index}].packing_group",
            )
    _sds_checks(filing, goods, review)
    _segregation_checks(filing, goods, listed, actor=actor, review=review)
    _destination_checks(filing, goods, listed, actor=actor, now=now, review=review)
    _qualification_on_eta(filing, eta, review)


def _sds_checks(filing: Any, goods: list[dict], review: Review) -> None:
    sheets: dict[str, list[int]] = {}
    for attachment in filing.attachments.all():
        if attachment.kind == AttachmentKind.SDS:
            best = sheets.get(attachment.un_number, [])
            if len(attachment.sections) > len(best):
                sheets[attachment.un_number] = attachment.sections
            else:
                sheets.setdefault(attachment.un_number, best)
    for number in dict.fromkeys(g["un_number"] for g in goods):
        if number not in sheets:
            review.block(
                "DG-SDS-16",
                f"{number} 未上传安全技术说明书（SDS）。",
                f"No safety data sheet (SDS) was uploaded for {number}.",
                SRC_SDS,
                "sds",
            )
            continue
        missing = sds.missing_sections(sheets[number])
        if missing:
            zh = "、".join(f"{n} {sds.SECTION_TITLES[n][0]}" for n in missing)
            en = "; ".join(f"{n} {sds.SECTION_TITLES[n][1]}" for n in missing)
            review.block(
                "DG-SDS-16",
                f"{number} 的安全技术说明书缺少第 {zh} 部分（须含全部16部分）。",
                f"The SDS for {number} lacks section(s) {en} (all 16 are required).",
                SRC_SDS,
                "sds",
            )


def _item(ref: str, line: dict, good: Any) -> dict[str, Any]:
    if good is not None and good.hazard_class:
        return {"ref": ref, "un_number": good.un_number}
    return {"ref": ref, "hazard_class": line["hazard_class"]}


def _segregation_checks(filing: Any, goods: list[dict], listed: dict, *, actor: Any, review: Review) -> None:
    """Co-loaded goods by primary and subsidiary classes (the dangerous-goods app's segregation service)."""
    from ftzsafety.core.errors import ValidationFailed
    from ftzsafety.dangerous_goods.services import segregation_check

    if len(goods) < 2:
        return
    items = [_item(f"{i + 1}", line, listed.get(line["un_number"])) for i, line in enumerate(goods)]
    try:
        answer = segregation_check(actor=actor, items=items)
    except ValidationFailed:
        return  # an unknown number or class is already a finding of its own
    for pair in answer.pairs:
        if not pair.conflict:
            continue
        a, b = goods[int(pair.a) - 1], goods[int(pair.b) - 1]
        review.block(
            "DG-SEGREGATION",
            f"第 {pair.a} 行 {a['un_number']}（{pair.decided_by[0]} 类）与第 {pair.b} 行 {b['un_number']}"
            f"（{pair.decided_by[1]} 类）不得混装：隔离要求“{pair.name_zh}”（{pair.code}）。",
            f"Line {pair.a} {a['un_number']} (class {pair.decided_by[0]}) and line {pair.b} {b['un_number']} "
            f"(class {pair.decided_by[1]}) may not be loaded together: segregation “{pair.name_en}” ({pair.code}).",
            SRC_SEGREGATION,
            "goods",
        )


def _accepts(accepted: list[str], hazard_class: str) -> bool:
    division = class_division(hazard_class)
    return any(a == division or a == class_number(division) for a in accepted)


def _destination_checks(
    filing: Any, goods: list[dict], listed: dict, *, actor: Any, now: datetime, review: Review
) -> None:
    from ftzsafety.core.errors import ValidationFailed
    from ftzsafety.dangerous_goods.services import segregation_check
    from ftzsafety.filings.selectors import destination_by_code, destination_stock

    destination = destination_by_code(filing.form.get("destination", ""))
    if destination is None:
        return
    for index, line in enumerate(goods):
        good = listed.get(line["un_number"])
        hazard_class = good.hazard_class if good is not None and good.hazard_class else line["hazard_class"]
        if not _accepts(destination.accepted_classes, hazard_class):
            review.block(
                "DG-DEST-CLASS",
                f"第 {index + 1} 行：{destination.name_zh} 不接收 {hazard_class} 类货物"
                f"（接收：{'、'.join(destination.accepted_classes) or '无'}）。",
                f"Line {index + 1}: {destination.name_en or destination.name_zh} does not accept class {hazard_class} "
                f"(accepts: {', '.join(destination.accepted_classes) or 'none'}).",
                SRC_STORAGE,
                "destination",
            )
    stock = destination_stock(destination=destination, now=now, window_days=STOCK_WINDOW_DAYS)
    if not stock:
        return
    incoming = [_item(f"in{i + 1}", line, listed.get(line["un_number"])) for i, line in enumerate(goods)]
    stored = [{"ref": f"st:{number}", "un_number": number} for number in stock]
    try:
        answer = segregation_check(actor=actor, items=incoming + stored)
    except ValidationFailed:
        return
    for pair in answer.pairs:
        if not pair.conflict or not (pair.a.startswith("in") and pair.b.startswith("st:")):
            continue
        line = goods[int(pair.a[2:]) - 1]
        stored_number = pair.b[3:]
        review.block(
            "DG-DEST-STOCK",
            f"{destination.name_zh} 现存 {stored_number}（{pair.decided_by[1]} 类），与 {line['un_number']}"
            f"（{pair.decided_by[0]} 类）隔离要求“{pair.name_zh}”（{pair.code}）。",
            f"{destination.name_en or destination.name_zh} currently stores {stored_number} (class "
            f"{pair.decided_by[1]}), which requires “{pair.name_en}” ({pair.code}) from {line['un_number']} "
            f"(class {pair.decided_by[0]}).",
            f"{SRC_SEGREGATION}; {SRC_STORAGE}",
            "destination",
        )


def _qualification_on_eta(filing: Any, eta: datetime | None, review: Review) -> None:
    """The enterprise's safety qualification valid on the ETA: its approved qualification filings (and the
    exchange's licence records once that dataset exists)."""
    from ftzsafety.filings.selectors import qualifications_of

    if eta is None:
        return
    on = eta.date()
    records = qualifications_of(enterprise=filing.enterprise)
    if not records:
        review.warn(
            "DG-QUALIFICATION",
            "未找到该企业的安全资质记录（安全资质备案），请审核部门核实。",
            "No safety qualification of this enterprise is on record (safety qualification filing); reviewers "
            "should check it.",
            SRC_QUALIFICATION,
            "",
        )
        return
    if not any(r["valid_from"] <= on <= r["valid_until"] for r in records):
        latest = max(r["valid_until"] for r in records)
        review.block(
            "DG-QUALIFICATION",
            f"企业安全资质在预计到达日 {on.isoformat()} 无效（最近有效期至 {latest.isoformat()}）。",
            f"The enterprise's safety qualification is not valid on the ETA {on.isoformat()} (latest valid until "
            f"{latest.isoformat()}).",
            SRC_QUALIFICATION,
            "eta",
        )


# --- safety qualification ---------------------------------------------------------------------------------------


def _qualification_checks(filing: Any, *, actor: Any, now: datetime, review: Review) -> None:
    form = filing.form
    if not any(a.kind == AttachmentKind.LICENCE for a in filing.attachments.all()):
        review.block(
            "QUAL-SCAN",
            "未上传资质证书扫描件。",
            "No scan of the licence was uploaded.",
            SRC_QUALIFICATION,
            "licence",
        )
    until = parse_date(form.get("valid_until") or "")
    today = now.date()
    if until is not None and until < today:
        review.block(
            "QUAL-EXPIRED",
            f"资质已于 {until.isoformat()} 过期。",
            f"The licence expired on {until.isoformat()}.",
            SRC_QUALIFICATION,
            "valid_until",
        )
    elif until is not None and until < today + timedelta(days=30):
        review.warn(
            "QUAL-EXPIRING",
            f"资质将于 {until.isoformat()} 到期（30日内），请及时办理延续。",
            f"The licence expires on {until.isoformat()} (within 30 days); apply for renewal in time.",
            SRC_QUALIFICATION,
            "valid_until",
        )
    if len(form.get("scope", "")) < 4:
        review.block("QUAL-SCOPE", "请填写许可范围。", "State the scope of the licence.", SRC_QUALIFICATION, "scope")


# --- foreign-related training -----------------------------------------------------------------------------------


def _training_checks(filing: Any, *, actor: Any, now: datetime, review: Review) -> None:
    form = filing.form
    start = parse_date(form.get("start_date") or "")
    if start is not None and start <= now.date():
        review.block(
            "TRAIN-START",
            "培训开始日期须晚于申请提交日期。",
            "The course must start after the application is submitted.",
            SRC_TRAINING,
            "start_date",
        )
    foreign_trainers = [t for t in form.get("trainers", []) if t.get("nationality") not in ("", "CN")]
    if not form.get("trainers"):
        review.block(
            "TRAIN-TRAINERS", "请至少填写一名培训教师。", "Name at least one trainer.", SRC_TRAINING, "trainers"
        )
    if not foreign_trainers and not form.get("foreign_trainees"):
        review.block(
            "TRAIN-FOREIGN",
            "涉外培训须有境外教师或境外学员。",
            "A foreign-related course has foreign trainers or foreign trainees.",
            SRC_TRAINING,
            "foreign_trainees",
        )
    if not form.get("topics"):
        review.block("TRAIN-TOPICS", "请选择培训内容。", "Choose the topics of the course.", SRC_TRAINING, "topics")
    has_curriculum = len(form.get("curriculum", "")) >= 50 or any(
        a.kind == AttachmentKind.CURRICULUM for a in filing.attachments.all()
    )
    if not has_curriculum:
        review.block(
            "TRAIN-CURRICULUM",
            "请填写不少于50字的课程大纲或上传大纲文件。",
            "Give a curriculum of at least 50 characters or upload it as a file.",
            SRC_TRAINING,
            "curriculum",
        )
    if form.get("hours", 0) and form.get("hours", 0) < 4:
        review.warn(
            "TRAIN-HOURS",
            "培训学时少于4学时。",
            "The course has fewer than 4 hours.",
            SRC_TRAINING,
            "hours",
        )
