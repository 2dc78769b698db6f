"""About 300 invented enterprises for the demo zone, generated deterministically from a fixed seed.

Industries follow GB/T 4754-2017 classes (enterprises/data/gb4754-2017-classes.csv); every credit code is valid
(GB 32100-2015) and carries a valid organisation code (GB 11714-1997) of the post-2015 "MA" series. Trade names are
built from syllables chosen not to form a known company name; foreign brands are invented words.
"""

import random
from dataclasses import dataclass

from ftzsafety.core.codes import USCC_ALPHABET, uscc_make
from ftzsafety.demo.zone import AREAS_BY_CODE, BONDED, DIVISION_CODE, MANUFACTURING, PORT, point_in_ring
from ftzsafety.enterprises.choices import OrganisationForm

SEED = 20251129
ORG_CODE_CHARACTERS = USCC_ALPHABET  # digits and capitals without I, O, Z, S, V: valid in both codes


@dataclass(frozen=True)
class ClassProfile:
    """What firms of one GB/T 4754-2017 class are called and what their registered business scope says."""

    section: str
    words: tuple[tuple[str, str], ...]  # (Chinese, English) trade descriptions
    scope: str
    areas: tuple[tuple[str, float], ...]  # (area code, weight)


CLASSES: dict[str, ClassProfile] = {
    "5942": ClassProfile(
        "G",
        (("危险化学品仓储", "Hazardous Chemicals Storage"), ("石化仓储", "Petrochemical Storage")),
        "危险化学品仓储（按《危险化学品经营许可证》核定的范围经营，不含剧毒化学品）；普通货物仓储服务；装卸搬运；罐区租赁。",
        ((PORT, 1.0),),
    ),
    "5169": ClassProfile(
        "F",
        (("化工贸易", "Chemical Trading"), ("化工供应链", "Chemical Supply Chain"), ("精细化工", "Fine Chemicals")),
        "危险化学品经营（不带储存设施，按许可证核定的范围经营）；化工产品销售（不含许可类化工产品）；货物进出口；技术进出口。",
        ((PORT, 0.6), (BONDED, 0.4)),
    ),
    "5162": ClassProfile(
        "F",
        (("石油化工", "Petrochemical"), ("能源贸易", "Energy Trading")),
        "成品油批发（限危险化学品）；石油制品销售（不含危险化学品）；燃料油销售；润滑油销售；货物进出口。",
        ((PORT, 1.0),),
    ),
    "5821": ClassProfile(
        "G",
        (
            ("国际物流", "International Logistics"),
            ("国际货运代理", "International Freight Forwarding"),
            ("供应链管理", "Supply Chain Management"),
        ),
        "国际货物运输代理；国内货物运输代理；报关业务；无船承运业务；普通货物仓储服务（不含危险化学品等需许可审批的项目）。",
        ((PORT, 0.5), (BONDED, 0.5)),
    ),
    "5532": ClassProfile(
        "G",
        (("港务", "Port Services"), ("集装箱码头", "Container Terminal")),
        "港口经营；港口货物装卸搬运活动；港口理货；集装箱堆存；船舶港口服务。",
        ((PORT, 1.0),),
    ),
    "5521": ClassProfile(
        "G",
        (("远洋航运", "Ocean Shipping"), ("船务", "Shipping")),
        "国际班轮运输；国际船舶代理；国内船舶代理；船舶租赁；海上国际货物运输代理。",
        ((PORT, 1.0),),
    ),
    "3841": ClassProfile(
        "C",
        (("锂电科技", "Lithium Battery Technology"), ("新能源电池", "New Energy Battery")),
        "锂离子电池制造；电池零配件生产；储能技术服务；新材料技术研发；货物进出口。",
        ((MANUFACTURING, 1.0),),
    ),
    "3922": ClassProfile(
        "C",
        (("通信设备", "Communication Equipment"), ("智能终端", "Smart Devices")),
        "通信设备制造；移动终端设备制造；电子产品销售；软件开发；货物进出口。",
        ((MANUFACTURING, 1.0),),
    ),
    "3981": ClassProfile(
        "C",
        (("电子元件", "Electronic Components"), ("精密电子", "Precision Electronics")),
        "电子元器件制造；电力电子元器件销售；集成电路芯片及产品销售；技术进出口。",
        ((MANUFACTURING, 1.0),),
    ),
    "3311": ClassProfile(
        "C",
        (("钢结构", "Steel Structures"), ("海工装备", "Offshore Equipment")),
        "金属结构制造；金属结构销售；海洋工程平台装备制造；起重机械制造（依法须经批准的项目除外）。",
        ((MANUFACTURING, 1.0),),
    ),
    "3360": ClassProfile(
        "C",
        (("表面处理", "Surface Treatment"), ("热处理", "Heat Treatment")),
        "金属表面处理及热处理加工（不含电镀）；喷涂加工；淬火加工；金属材料销售。",
        ((MANUFACTURING, 1.0),),
    ),
    "3484": ClassProfile(
        "C",
        (("精密机械", "Precision Machinery"), ("机械部件", "Machine Components")),
        "机械零件、零部件加工；通用零部件制造；数控机床加工；机械设备销售。",
        ((MANUFACTURING, 1.0),),
    ),
    "5292": ClassProfile(
        "F",
        (("跨境电商", "Cross-border E-commerce"), ("电子商务", "E-commerce")),
        "互联网销售（除销售需要许可的商品）；跨境电子商务零售进口；保税仓储（不含危险化学品）；货物进出口。",
        ((BONDED, 1.0),),
    ),
    "5193": ClassProfile(
        "F",
        (("数字贸易", "Digital Trade"), ("跨境供应链", "Cross-border Supply Chain")),
        "互联网批发；跨境电子商务；食品互联网销售（仅销售预包装食品）；化妆品批发；货物进出口。",
        ((BONDED, 1.0),),
    ),
    "2710": ClassProfile(
        "C",
        (("药业", "Pharmaceutical"), ("医药化工", "Pharmaceutical Chemicals")),
        "化学原料药制造；药品生产（按《药品生产许可证》核定的范围）；医药中间体制造（不含危险化学品）。",
        ((MANUFACTURING, 1.0),),
    ),
    "2761": ClassProfile(
        "C",
        (("生物制药", "Biopharmaceutical"), ("生物技术", "Biotechnology")),
        "生物药品制造；药品生产；生物化工产品技术研发；医学研究和试验发展。",
        ((MANUFACTURING, 1.0),),
    ),
    "7340": ClassProfile(
        "M",
        (("医药研发", "Pharmaceutical R&D"), ("医学研究", "Medical Research")),
        "医学研究和试验发展；药物临床前研究服务；技术服务、技术开发、技术咨询、技术转让。",
        ((MANUFACTURING, 1.0),),
    ),
}


@dataclass(frozen=True)
class Sector:
    key: str
    count: int
    classes: tuple[tuple[str, float], ...]
    foreign_share: float
    countries: tuple[str, ...]  # ISO 3166-1 alpha-2


SECTORS: tuple[Sector, ...] = (
    Sector("hazchem_storage", 30, (("5942", 1),), 0.25, ("DE", "NL", "US", "SG", "JP")),
    Sector("hazchem_trading", 45, (("5169", 3), ("5162", 1)), 0.25, ("DE", "NL", "SG", "KR", "JP", "US")),
    Sector("logistics_shipping", 60, (("5821", 3), ("5532", 1), ("5521", 1)), 0.35, ("SG", "NL", "DK", "HK", "DE")),
    Sector("lithium_electronics", 45, (("3841", 1), ("3922", 1), ("3981", 1)), 0.45, ("JP", "KR", "US", "DE", "SG")),
    Sector("metal_processing", 45, (("3311", 1), ("3360", 1), ("3484", 1)), 0.3, ("DE", "JP", "KR", "IT", "FR")),
    Sector("cross_border_ecommerce", 45, (("5292", 1), ("5193", 1)), 0.3, ("HK", "SG", "US", "KR", "JP", "GB")),
    Sector("biomedicine", 30, (("2710", 1), ("2761", 1), ("7340", 1)), 0.45, ("US", "DE", "CH", "GB", "FR")),
)

# Syllables for domestic trade names (字号): uncommon pairings, so no generated name is a known company's.
FIRST = (
    ("澜", "Lan"), ("汐", "Xi"), ("屿", "Yu"), ("舟", "Zhou"), ("澄", "Cheng"), ("沣", "Feng"), ("泓", "Hong"),
    ("渤", "Bo"), ("滢", "Ying"), ("汀", "Ting"), ("淇", "Qi"), ("瀚", "Han"), ("沧", "Cang"), ("湄", "Mei"),
    ("岱", "Dai"), ("岚", "Lan"),
)  # fmt: skip
SECOND = (
    ("拓", "tuo"), ("衡", "heng"), ("策", "ce"), ("朗", "lang"), ("越", "yue"), ("晟", "sheng"), ("启", "qi"),
    ("弘", "hong"), ("禾", "he"), ("沐", "mu"), ("锐", "rui"), ("璟", "jing"), ("宸", "chen"), ("翊", "yi"),
    ("楷", "kai"), ("埕", "cheng"),
)  # fmt: skip
# Invented foreign brands (English, Chinese transliteration).
BRANDS = (
    ("Velmora", "维尔莫拉"), ("Nordhaven", "诺德海文"), ("Astrelle", "阿斯特瑞"), ("Kaitora", "凯托拉"),
    ("Solvane", "索尔万"), ("Brightwell", "布莱特维尔"), ("Lumera", "卢米拉"), ("Tessaro", "泰萨罗"),
    ("Orvalis", "奥瓦利斯"), ("Marenco", "马伦科"), ("Quintal", "昆塔尔"), ("Elbrecht", "埃尔布雷希特"),
    ("Kazemori", "风森"), ("Hanseul", "韩瑟"), ("Sunmere", "森米尔"), ("Corvane", "科尔万"),
    ("Pelleas", "佩利亚斯"), ("Rivalto", "里瓦托"), ("Anselm", "安塞姆"), ("Veridane", "维里丹"),
)  # fmt: skip


@dataclass(frozen=True)
class EnterprisePlan:
    """One enterprise as the seed will register it through `enterprise_create`."""

    sector: str
    uscc: str
    values: dict


def make_uscc(rng: random.Random, taken: set[str]) -> str:
    """A fresh valid credit code: 9 (market regulator) 1 (enterprise), the district, an "MA" organisation code."""
    while True:
        body = "MA" + "".join(rng.choice(ORG_CODE_CHARACTERS) for _ in range(6))
        code = uscc_make(authority="9", org_type="1", division=DIVISION_CODE, org_code_body=body)
        if code not in taken:
            taken.add(code)
            return code


def random_point(rng: random.Random, area_code: str) -> tuple[float, float]:
    """A (latitude, longitude) inside the area's polygon, rounded to 6 decimals (about 0.1 m)."""
    area = AREAS_BY_CODE[area_code]
    west, south, east, north = area.bbox
    while True:
        lon = round(rng.uniform(west, east), 6)
        lat = round(rng.uniform(south, north), 6)
        if point_in_ring(lon, lat, area.ring):
            return lat, lon


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([item for item, _ in weighted], weights=[w for _, w in weighted])[0]


def _names(rng: random.Random, form: str, word: tuple[str, str], used: set[str]) -> tuple[str, str]:
    """Chinese and English names, unique across the plan."""
    word_zh, word_en = word
    for _attempt in range(200):
        (a_zh, a_en), (b_zh, b_en) = rng.choice(FIRST), rng.choice(SECOND)
        trade_zh, trade_en = a_zh + b_zh, a_en + b_en
        brand_en, brand_zh = rng.choice(BRANDS)
        if form == OrganisationForm.WHOLLY_FOREIGN_OWNED:
            zh, en = f"{brand_zh}（滨海）{word_zh}有限公司", f"{brand_en} {word_en} (Binhai) Co., Ltd."
        elif form == OrganisationForm.SINO_FOREIGN_JV:
            zh, en = f"滨海{trade_zh}{brand_zh}{word_zh}有限公司", f"Binhai {trade_en} {brand_en} {word_en} Co., Ltd."
        elif form == OrganisationForm.JOINT_STOCK:
            zh, en = f"滨海{trade_zh}{word_zh}股份有限公司", f"Binhai {trade_en} {word_en} Corporation"
        elif form == OrganisationForm.STATE_OWNED:
            zh, en = f"滨海{trade_zh}{word_zh}集团有限公司", f"Binhai {trade_en} {word_en} Group Co., Ltd."
        else:
            zh, en = f"滨海{trade_zh}{word_zh}有限公司", f"Binhai {trade_en} {word_en} Co., Ltd."
        if zh not in used and en not in used:
            used.update((zh, en))
            return zh, en
    raise RuntimeError("ran out of demo enterprise names")  # pragma: no cover - 16 × 16 × 20 combinations


def plan_enterprises(seed: int = SEED) -> list[EnterprisePlan]:
    """The demo enterprises, identical on every run for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    taken: set[str] = set()
    used_names: set[str] = set()
    plans: list[EnterprisePlan] = []
    for sector in SECTORS:
        for _ in range(sector.count):
            class_code = _pick(rng, sector.classes)
            profile = CLASSES[class_code]
            foreign = rng.random() < sector.foreign_share
            if foreign:
                form = rng.choice((OrganisationForm.WHOLLY_FOREIGN_OWNED, OrganisationForm.SINO_FOREIGN_JV))
                country = rng.choice(sector.countries)
            else:
                roll = rng.random()
                if class_code in {"5532", "5521"} and roll < 0.3:
                    form = OrganisationForm.STATE_OWNED
                elif roll > 0.88:
                    form = OrganisationForm.JOINT_STOCK
                else:
                    form = OrganisationForm.LIMITED_LIABILITY
                country = ""
            word = rng.choice(profile.words)
            name_zh, name_en = _names(rng, form, word, used_names)
            area_code = _pick(rng, profile.areas)
            lat, lon = random_point(rng, area_code)
            area = AREAS_BY_CODE[area_code]
            address = f"{area.address_prefix}{rng.choice(area.roads)}{rng.randint(1, 399)}号"
            scope = profile.scope
            if foreign and "技术进出口" not in scope:
                scope = scope.removesuffix("。") + "；技术进出口；进出口代理。"
            uscc = make_uscc(rng, taken)
            plans.append(
                EnterprisePlan(
                    sector=sector.key,
                    uscc=uscc,
                    values={
                        "name_zh": name_zh,
                        "name_en": name_en,
                        "organisation_form": str(form),
                        "foreign_invested": foreign,
                        "investor_country": country,
                        "industry_section": profile.section,
                        "industry_class": class_code,
                        "area": area_code,
                        "address": address,
                        "latitude": lat,
                        "longitude": lon,
                        "business_scope": scope,
                    },
                )
            )
    return plans


def account_enterprise(plans: list[EnterprisePlan]) -> EnterprisePlan:
    """The hazardous-chemicals trader whose staff hold the demo enterprise accounts: the first domestic 5169 firm."""
    return next(p for p in plans if p.values["industry_class"] == "5169" and not p.values["foreign_invested"])
