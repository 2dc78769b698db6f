"""The filing types and review rules the zone starts with (loaded by migration 0002; the zone administration
edits them afterwards in the back office, audited). Departments per PRODUCT.md P3.2: customs always; emergency
when a catalogued hazardous chemical is involved; maritime when arriving by water; transport when moved inland by
road; fire when stored in a warehouse."""

TYPES = (
    ("dg_pre_arrival", "危险货物提前申报备案", "Pre-arrival dangerous-goods filing"),
    ("safety_qualification", "安全资质备案", "Safety qualification filing"),
    ("foreign_training", "涉外安全培训申请", "Foreign-related safety training application"),
)

# (type, department, condition, deadline hours, source)
RULES = (
    (
        "dg_pre_arrival",
        "customs",
        "always",
        24,
        "海关法 第二十四条; 进出口危险化学品及其包装检验监管 (海关总署公告2020年第129号)",
    ),
    ("dg_pre_arrival", "emergency", "hazardous_chemical", 24, "危险化学品安全管理条例 第六条 (应急管理部门综合监管)"),
    ("dg_pre_arrival", "maritime", "by_water", 24, "船舶载运危险货物安全监督管理规定 (交通运输部令2018年第11号)"),
    ("dg_pre_arrival", "transport", "inland_road", 24, "危险货物道路运输安全管理办法 (交通运输部令2019年第29号)"),
    ("dg_pre_arrival", "fire", "warehouse", 48, "消防法 第二十三条; GB 15603-2022"),
    ("safety_qualification", "emergency", "always", 72, "危险化学品安全管理条例 第三十三、三十五条"),
    ("safety_qualification", "maritime", "port_operations", 72, "港口危险货物安全管理规定 第十七条"),
    ("safety_qualification", "transport", "road_transport", 72, "危险货物道路运输安全管理办法 第十条"),
    ("foreign_training", "emergency", "always", 72, "生产经营单位安全培训规定 (国家安全监管总局令第3号)"),
    ("foreign_training", "commerce", "always", 72, "外商投资法 第二十九条 (涉外事务的商务主管部门)"),
    ("foreign_training", "fire", "fire_drill", 72, "消防法 第十六条 (消防演练)"),
)
