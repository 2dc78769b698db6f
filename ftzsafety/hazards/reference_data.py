"""Reference data of the hazards app, loaded by migration 0002 (and `ftzsafety hazards_load_reference`):
self-check lists, the first routing table, and the rectification periods.

The self-check items restate requirements of the standards and rules named in their `legal_basis`; citations name
the document only, where this repository has no verified clause number (REFERENCE.md lists the facts it holds):
- 安全生产事故隐患排查治理暂行规定 (国家安全监管总局令第16号, 2007);
- 化工和危险化学品生产经营单位重大生产安全事故隐患判定标准(试行) (安监总管三〔2017〕121号) — its items marked
  `major` below are among the examples REFERENCE.md quotes;
- GB 18218-2018 危险化学品重大危险源辨识; GB 15603 危险化学品仓库储存通则; GB 50016 建筑设计防火规范;
  GB 50140 建筑灭火器配置设计规范; GB/T 16483-2008 化学品安全技术说明书; GB 2894 安全标志及其使用导则;
  GB/T 8196 机械安全 防护装置; GB 50054 低压配电设计规范; GB 30871 危险化学品企业特殊作业安全规范;
  AQ 3013-2008 危险化学品从业单位安全标准化通用规范; 中华人民共和国特种设备安全法; 危险化学品安全管理条例;
  港口危险货物安全管理规定 (交通运输部令2017年第27号); IMDG Code 7.2.4 (segregation); UN Model Regulations class 9
  (lithium batteries UN3090, UN3091, UN3480, UN3481).

Rectification periods are the zone's own policy (no national figure), editable in the back office.
"""

from typing import Any

# (text_zh, text_en, legal_basis, photo_required, category, level_if_failed)
Item = tuple[str, str, str, bool, str, str]

REG16 = "安全生产事故隐患排查治理暂行规定(总局令第16号)"
MAJOR121 = "安监总管三〔2017〕121号"

CHECKLISTS: list[dict[str, Any]] = [
    {
        "code": "hazchem-warehouse",
        "title_zh": "危险化学品仓库安全自查表",
        "title_en": "Hazardous-chemical warehouse self-check",
        "industry_zh": "危险化学品仓储",
        "industry_en": "Hazardous-chemical storage",
        "industry_sections": "F,G",
        "items": [
            (
                "主要负责人和安全生产管理人员依法经考核合格",
                "The principal person and safety managers have passed the statutory safety assessment",
                MAJOR121,
                False,
                "hazardous_chemicals",
                "major",
            ),
            (
                "特种作业人员持证上岗",
                "Special-operation workers hold their certificates",
                MAJOR121,
                False,
                "hazardous_chemicals",
                "major",
            ),
            (
                "构成重大危险源的储存单元已按GB 18218-2018辨识、分级并登记",
                "Major-hazard storage units are identified, graded and registered (GB 18218-2018)",
                "GB 18218-2018",
                False,
                "hazardous_chemicals",
                "major",
            ),
            (
                "危险化学品分区、分类、分库储存，禁忌物料未混存",
                "Hazardous chemicals stored by zone, class and room; incompatible goods not stored together",
                "GB 15603 危险化学品仓库储存通则",
                True,
                "hazardous_chemicals",
                "general",
            ),
            (
                "堆垛间距、通道宽度及堆垛高度符合要求，未超量储存",
                "Stack spacing, aisle width and stack height as required; no storage above the permitted quantity",
                "GB 15603 危险化学品仓库储存通则",
                True,
                "hazardous_chemicals",
                "general",
            ),
            (
                "每种化学品均有中文安全技术说明书和安全标签",
                "Every chemical has a Chinese safety data sheet and label",
                "GB/T 16483-2008; 危险化学品安全管理条例",
                False,
                "hazardous_chemicals",
                "general",
            ),
            (
                "仓库耐火等级、防火分区和安全出口符合建筑防火要求",
                "Fire-resistance rating, fire compartments and exits of the warehouse meet the building fire code",
                "GB 50016 建筑设计防火规范",
                False,
                "fire",
                "general",
            ),
            (
                "易燃易爆场所电气设备为防爆型，静电接地完好",
                "Electrical equipment in flammable areas is explosion-proof; static earthing intact",
                "GB 15603 危险化学品仓库储存通则; AQ 3013-2008",
                True,
                "electrical",
                "general",
            ),
            (
                "灭火器配置数量、类型正确并在有效期内",
                "Fire extinguishers of the right number and type, within their service date",
                "GB 50140 建筑灭火器配置设计规范",
                True,
                "fire",
                "general",
            ),
            (
                "安全警示标志齐全、清晰",
                "Safety signs complete and legible",
                "GB 2894 安全标志及其使用导则",
                False,
                "other",
                "general",
            ),
        ],
    },
    {
        "code": "metal-workshop",
        "title_zh": "金属加工车间安全自查表",
        "title_en": "Metal-processing workshop self-check",
        "industry_zh": "金属制品加工",
        "industry_en": "Metal products processing",
        "industry_sections": "C",
        "items": [
            (
                "冲压、剪切、车铣等设备的危险运动部位防护装置齐全有效",
                "Guards on the dangerous moving parts of presses, shears, lathes and mills are complete and working",
                "GB/T 8196 机械安全 防护装置; GB 5083 生产设备安全卫生设计总则",
                True,
                "other",
                "general",
            ),
            (
                "冲压设备双手操作或光电保护装置有效，未被短接",
                "Two-hand controls or light curtains on presses work and are not bypassed",
                "GB/T 8196 机械安全 防护装置",
                True,
                "other",
                "general",
            ),
            (
                "配电箱、柜门完好，有漏电保护，无私拉乱接电线",
                "Distribution boxes closed and intact, residual-current protection fitted, no improvised wiring",
                "GB 50054 低压配电设计规范",
                True,
                "electrical",
                "general",
            ),
            (
                "设备金属外壳可靠接地，电缆无破损老化",
                "Metal housings of machines earthed; cables undamaged",
                "GB 50054 低压配电设计规范",
                True,
                "electrical",
                "general",
            ),
            (
                "起重机械、叉车、压力容器等特种设备定期检验合格并在有效期内",
                "Cranes, forklifts, pressure vessels and other special equipment inspected, within date",
                "中华人民共和国特种设备安全法",
                False,
                "special_equipment",
                "general",
            ),
            (
                "特种设备作业人员持证上岗",
                "Operators of special equipment hold their certificates",
                "中华人民共和国特种设备安全法",
                False,
                "special_equipment",
                "general",
            ),
            (
                "动火作业办理作业许可，现场有监护和灭火器材",
                "Hot work under a permit, with a fire watch and extinguishers on site",
                "GB 30871 特殊作业安全规范",
                False,
                "fire",
                "general",
            ),
            (
                "车间安全出口、疏散通道畅通",
                "Exits and escape routes of the workshop unobstructed",
                "GB 50016 建筑设计防火规范",
                True,
                "fire",
                "general",
            ),
        ],
    },
    {
        "code": "lithium-battery-storage",
        "title_zh": "锂电池储存场所安全自查表",
        "title_en": "Lithium-battery storage self-check",
        "industry_zh": "锂电池仓储与物流",
        "industry_en": "Lithium-battery storage and logistics",
        "industry_sections": "C,F,G",
        "items": [
            (
                "锂电池(UN3480/UN3481/UN3090/UN3091)按第9类危险货物识别、标记和登记",
                "Lithium batteries (UN3480, UN3481, UN3090, UN3091) identified, marked and recorded as class 9 DG",
                "联合国《关于危险货物运输的建议书 规章范本》第9类",
                False,
                "hazardous_chemicals",
                "general",
            ),
            (
                "锂电池储存区与其他可燃物、危险货物分区存放并保持间距",
                "Lithium batteries kept in their own area, apart from other combustibles and dangerous goods",
                "GB 50016 建筑设计防火规范",
                True,
                "fire",
                "general",
            ),
            (
                "破损、鼓包、过热电池设隔离区单独存放",
                "Damaged, swollen or overheated batteries held in a separate quarantine area",
                "安全生产事故隐患排查治理暂行规定(总局令第16号)",
                True,
                "fire",
                "general",
            ),
            (
                "储存场所温度受控，远离热源和阳光直射",
                "Storage temperature controlled; away from heat sources and direct sun",
                "GB 50016 建筑设计防火规范",
                False,
                "fire",
                "general",
            ),
            (
                "充电区设于独立区域，有人值守或自动断电保护",
                "Charging in a separate area, attended or with automatic cut-off",
                "GB 50054 低压配电设计规范",
                True,
                "electrical",
                "general",
            ),
            (
                "配置适用的灭火器材并定期检查",
                "Suitable extinguishing equipment provided and checked regularly",
                "GB 50140 建筑灭火器配置设计规范",
                True,
                "fire",
                "general",
            ),
            (
                "火灾自动报警设施完好有效",
                "Automatic fire alarm working",
                "GB 50016 建筑设计防火规范",
                False,
                "fire",
                "general",
            ),
            (
                "库房建筑防火分区和疏散通道符合要求",
                "Fire compartments and escape routes of the store as required",
                "GB 50016 建筑设计防火规范",
                False,
                "fire",
                "general",
            ),
        ],
    },
    {
        "code": "logistics-warehouse",
        "title_zh": "物流仓库安全自查表",
        "title_en": "Logistics warehouse self-check",
        "industry_zh": "普通货物仓储物流",
        "industry_en": "General cargo warehousing and logistics",
        "industry_sections": "G",
        "items": [
            (
                "仓库耐火等级、防火分区、占地面积符合规定",
                "Fire-resistance rating, fire compartments and floor area of the warehouse as the code requires",
                "GB 50016 建筑设计防火规范",
                False,
                "fire",
                "general",
            ),
            (
                "货物堆垛与灯具、墙、柱、梁保持安全距离",
                "Stacks clear of lights, walls, columns and beams by the required distance",
                "GB 50016 建筑设计防火规范",
                True,
                "fire",
                "general",
            ),
            (
                "消防车道、疏散通道和安全出口畅通，未堵塞锁闭",
                "Fire lanes, escape routes and exits clear, not blocked or locked",
                "GB 50016 建筑设计防火规范",
                True,
                "fire",
                "general",
            ),
            (
                "叉车等场(厂)内专用机动车辆定期检验合格，司机持证",
                "Forklifts and other in-plant vehicles inspected; drivers certified",
                "中华人民共和国特种设备安全法",
                False,
                "special_equipment",
                "general",
            ),
            (
                "货架稳固，标识限载，无超载变形",
                "Racks stable, load limits marked, no overloading or deformation",
                "安全生产事故隐患排查治理暂行规定(总局令第16号)",
                True,
                "other",
                "general",
            ),
            (
                "库内电气线路穿管保护，无违规使用大功率电器",
                "Wiring in conduit; no forbidden high-power appliances in the store",
                "GB 50054 低压配电设计规范",
                True,
                "electrical",
                "general",
            ),
            (
                "登高作业(货架上层)有防坠落措施",
                "Fall protection for work on upper rack levels",
                "GB 30871 特殊作业安全规范",
                False,
                "work_at_height",
                "general",
            ),
            (
                "灭火器、消火栓完好有效",
                "Extinguishers and hydrants in working order",
                "GB 50140 建筑灭火器配置设计规范",
                True,
                "fire",
                "general",
            ),
        ],
    },
    {
        "code": "port-dg-yard",
        "title_zh": "港口危险货物堆场安全自查表",
        "title_en": "Port dangerous-goods yard self-check",
        "industry_zh": "港口危险货物作业",
        "industry_en": "Port dangerous-goods operations",
        "industry_sections": "G",
        "items": [
            (
                "取得港口危险货物作业附证，作业品名在许可范围内",
                "The port DG operation certificate is held; goods handled are within its scope",
                "港口危险货物安全管理规定(交通运输部令2017年第27号)",
                False,
                "port_dg",
                "major",
            ),
            (
                "危险货物集装箱按IMDG规则7.2.4隔离要求分区堆存",
                "DG containers stacked by the segregation rules of IMDG Code 7.2.4",
                "IMDG Code 7.2.4",
                True,
                "port_dg",
                "general",
            ),
            (
                "堆场危险货物品名、数量、位置实时登记，与申报一致",
                "Names, quantities and positions of DG in the yard recorded in real time and matching the declarations",
                "港口危险货物安全管理规定(交通运输部令2017年第27号)",
                False,
                "port_dg",
                "general",
            ),
            (
                "构成重大危险源的堆场已辨识、登记并实施监控",
                "A yard that is a major-hazard installation is identified, registered and monitored",
                "GB 18218-2018",
                False,
                "hazardous_chemicals",
                "major",
            ),
            (
                "泄漏应急物资、洗消设施配备齐全",
                "Spill-response materials and decontamination facilities in place",
                "港口危险货物安全管理规定(交通运输部令2017年第27号)",
                True,
                "port_dg",
                "general",
            ),
            (
                "堆场消防设施、消防通道完好畅通",
                "Fire equipment and fire lanes of the yard in order and clear",
                "GB 50016 建筑设计防火规范",
                True,
                "fire",
                "general",
            ),
            (
                "装卸机械(岸桥、场桥、正面吊)定期检验合格",
                "Handling machines (quay cranes, yard cranes, reach stackers) inspected",
                "中华人民共和国特种设备安全法",
                False,
                "special_equipment",
                "general",
            ),
            (
                "作业人员经危险货物专业培训并持证",
                "Staff trained for dangerous goods and certified",
                "港口危险货物安全管理规定(交通运输部令2017年第27号)",
                False,
                "port_dg",
                "general",
            ),
        ],
    },
]

# category → department code. Area- and industry-specific rules are added by the zone administration on the
# routing page; `other` has no rule on purpose: it goes to the zone administration's queue.
ROUTING_RULES: list[tuple[str, str, str]] = [
    ("fire", "fire", "火灾隐患由消防救援机构监督(消防法)"),
    ("electrical", "emergency", ""),
    ("special_equipment", "market", "特种设备由市场监管部门监督(特种设备安全法)"),
    ("hazardous_chemicals", "emergency", "危险化学品安全监管(危险化学品安全管理条例)"),
    ("hazardous_waste", "ecology", "危险废物由生态环境部门监督(固体废物污染环境防治法)"),
    ("confined_space", "emergency", ""),
    ("work_at_height", "emergency", ""),
    ("port_dg", "transport", "港口危险货物作业由港口行政管理部门监督(港口危险货物安全管理规定)"),
]

# level → (days to rectify, days overdue before the zone administration is told). The zone's policy.
PERIODS: dict[str, tuple[int, int]] = {"general": (15, 3), "major": (90, 7)}


def load(apps: Any = None) -> dict[str, int]:
    """Create what is missing (a list version, a rule, a period that already exists is left as it is)."""
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    template_model = apps.get_model("hazards", "ChecklistTemplate")
    item_model = apps.get_model("hazards", "ChecklistItem")
    rule_model = apps.get_model("hazards", "RoutingRule")
    period_model = apps.get_model("hazards", "RectificationPeriod")
    counts = {"lists": 0, "items": 0, "rules": 0, "periods": 0}
    for spec in CHECKLISTS:
        template, created = template_model.objects.get_or_create(
            code=spec["code"],
            version=1,
            defaults={k: spec[k] for k in ("title_zh", "title_en", "industry_zh", "industry_en", "industry_sections")},
        )
        if not created:
            continue
        counts["lists"] += 1
        for position, (text_zh, text_en, basis, photo, category, level) in enumerate(spec["items"], start=1):
            item_model.objects.create(
                template=template,
                position=position,
                text_zh=text_zh,
                text_en=text_en,
                legal_basis=basis,
                photo_required=photo,
                category=category,
                level_if_failed=level,
            )
            counts["items"] += 1
    for category, department_code, note in ROUTING_RULES:
        _rule, created = rule_model.objects.get_or_create(
            category=category,
            area=None,
            industry_section="",
            defaults={"department_code": department_code, "note": note},
        )
        counts["rules"] += created
    for level, (days, zone_days) in PERIODS.items():
        _period, created = period_model.objects.get_or_create(
            level=level, defaults={"days": days, "zone_escalation_days": zone_days}
        )
        counts["periods"] += created
    return counts
