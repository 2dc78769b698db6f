"""Department datasets (issue 4, item 1): typed tables, each row owned by a department, classified, keyed by a
natural key, linked to an enterprise once resolved, and stamped with the import job that wrote it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ftzsafety.core.models import Classification, SupervisedModel, TimeStampedModel
from ftzsafety.exchange.choices import (
    CaseStatus,
    Direction,
    EquipmentCategory,
    JobSource,
    JobStatus,
    LicenceType,
    PendingStatus,
    PortOperationKind,
    ResolutionStatus,
    Unit,
)


class ImportJob(TimeStampedModel):
    """One ingestion run (API call or file): who, what, from where, the counts and the rejected rows."""

    dataset = models.CharField(_("dataset"), max_length=64, db_index=True)
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("owning organisation")
    )
    source = models.CharField(_("source"), max_length=16, choices=JobSource.choices)
    source_name = models.CharField(_("source name"), max_length=255, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("imported by"),
    )  # fmt: skip
    dry_run = models.BooleanField(_("dry run"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.RUNNING)
    expected = models.PositiveIntegerField(_("rows expected"), default=0)  # known when queued: for progress
    upload = models.CharField(_("queued file"), max_length=500, blank=True, default="")
    total = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    rejected_rows = models.JSONField(_("rejected rows"), default=list, blank=True)
    failure = models.TextField(_("failure"), blank=True, default="")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.dataset} #{self.pk}"


class DatasetRecord(SupervisedModel):
    """Columns every department row has: the enterprise as the department named it, the link, the provenance."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("enterprise"),
    )  # fmt: skip
    enterprise_code = models.CharField(_("credit code as reported"), max_length=18, blank=True, default="")
    enterprise_name = models.CharField(_("enterprise name as reported"), max_length=300, blank=True, default="")
    name_key = models.CharField(_("normalised name"), max_length=300, blank=True, default="", db_index=True)
    resolution = models.CharField(
        _("resolution"), max_length=24, choices=ResolutionStatus.choices, default=ResolutionStatus.PENDING_REGISTRATION
    )
    import_job = models.ForeignKey(
        ImportJob, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("import job")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    authz_enterprise_path = "enterprise__organisation"

    class Meta:
        abstract = True


class CustomsDeclaration(DatasetRecord):
    """A customs declaration (报关单), 海关进出口货物报关单填制规范 (海关总署公告2019年第18号)."""

    declaration_no = models.CharField(_("declaration number"), max_length=18, unique=True)
    declared_on = models.DateField(_("declaration date"))
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    port = models.CharField(_("port"), max_length=100)
    country = models.CharField(_("country of origin or destination"), max_length=2)

    sensitive_fields = {"enterprise_code": "uscc"}

    class Meta:
        verbose_name = _("customs declaration")
        verbose_name_plural = _("customs declarations")
        ordering = ["-declared_on", "declaration_no"]
        indexes = [
            models.Index(fields=["enterprise", "declared_on"], name="exchange_decl_chain"),
            models.Index(fields=["declared_on"], name="exchange_decl_date"),  # the cross-border list's period
        ]

    def __str__(self) -> str:
        return self.declaration_no


class CustomsGoodsLine(models.Model):
    """One goods line (商品项) of a declaration; dangerous goods carry their UN number."""

    declaration = models.ForeignKey(CustomsDeclaration, on_delete=models.CASCADE, related_name="goods")
    line_no = models.PositiveIntegerField(_("line number"))
    hs_code = models.CharField(_("HS code"), max_length=10)
    goods_name = models.CharField(_("goods name"), max_length=200)
    un_number = models.CharField(_("UN number"), max_length=6, blank=True, default="", db_index=True)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)

    class Meta:
        verbose_name = _("goods line")
        verbose_name_plural = _("goods lines")
        ordering = ["declaration_id", "line_no"]
        constraints = [models.UniqueConstraint(fields=["declaration", "line_no"], name="exchange_goods_line_unique")]

    def __str__(self) -> str:
        return f"{self.declaration_id}/{self.line_no}"


class DangerousGoodsWaybill(DatasetRecord):
    """An electronic waybill for road transport of dangerous goods (危险货物道路运输安全管理办法 第二十三条)."""

    waybill_no = models.CharField(_("waybill number"), max_length=40, unique=True)
    carrier = models.CharField(_("carrier"), max_length=200)
    vehicle = models.CharField(_("vehicle or vessel"), max_length=40)
    un_number = models.CharField(_("UN number"), max_length=6, db_index=True)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    origin = models.CharField(_("origin"), max_length=200)
    destination = models.CharField(_("destination"), max_length=200)
    route = models.CharField(_("route"), max_length=500, blank=True, default="")
    departs_on = models.DateField(_("departure date"))
    arrives_on = models.DateField(_("arrival date"), null=True, blank=True)

    sensitive_fields = {"quantity": "commercial_figure", "enterprise_code": "uscc"}

    class Meta:
        verbose_name = _("dangerous-goods waybill")
        verbose_name_plural = _("dangerous-goods waybills")
        ordering = ["-departs_on", "waybill_no"]
        indexes = [models.Index(fields=["enterprise", "un_number", "departs_on"], name="exchange_waybill_chain")]

    def __str__(self) -> str:
        return self.waybill_no


class StorageInventory(DatasetRecord):
    """A park warehouse's stock of a dangerous good at a point in time (危险化学品安全管理条例 第二十四条)."""

    warehouse = models.CharField(_("warehouse"), max_length=100)
    un_number = models.CharField(_("UN number"), max_length=6, blank=True, default="", db_index=True)
    chemical_name = models.CharField(_("chemical name"), max_length=200, blank=True, default="")
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    as_of = models.DateTimeField(_("as of"))

    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.INTERNAL
    )
    sensitive_fields = {"quantity": "commercial_figure"}

    class Meta:
        verbose_name = _("storage inventory")
        verbose_name_plural = _("storage inventories")
        ordering = ["-as_of", "warehouse"]
        indexes = [models.Index(fields=["enterprise", "un_number", "as_of"], name="exchange_storage_chain")]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise_code", "enterprise_name", "warehouse", "un_number", "chemical_name", "as_of"],
                name="exchange_storage_inventory_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.warehouse} {self.un_number or self.chemical_name}"


class PortOperation(DatasetRecord):
    """A dangerous-goods operation in the port (loading, unloading, yard storage), as declared to and approved by the
    maritime administration before it starts (港口危险货物安全管理规定 交通运输部令2017年第27号 第三十四条; 港口危险
    货物作业 yard segregation per the IMDG Code 7.2)."""

    operation_no = models.CharField(_("operation number"), max_length=40, unique=True)
    kind = models.CharField(_("operation kind"), max_length=16, choices=PortOperationKind.choices)
    vessel = models.CharField(_("vessel"), max_length=100)
    voyage = models.CharField(_("voyage"), max_length=40, blank=True, default="")
    berth = models.CharField(_("berth"), max_length=40)
    yard_position = models.CharField(_("yard position"), max_length=40, blank=True, default="")
    un_number = models.CharField(_("UN number"), max_length=6)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    sensitive_fields = {"quantity": "commercial_figure", "enterprise_code": "uscc"}

    class Meta:
        verbose_name = _("port dangerous-goods operation")
        verbose_name_plural = _("port dangerous-goods operations")
        ordering = ["-started_at", "operation_no"]
        indexes = [models.Index(fields=["enterprise", "un_number", "started_at"], name="exchange_portop_chain")]

    def __str__(self) -> str:
        return self.operation_no


class SpecialEquipment(DatasetRecord):
    """A registered item of special equipment (特种设备使用登记, 特种设备安全法 第三十三条) with its periodic inspection
    (第四十条: the user applies for the next inspection one month before the current one expires)."""

    registration_no = models.CharField(_("registration number"), max_length=40, unique=True)
    category = models.CharField(_("equipment category"), max_length=24, choices=EquipmentCategory.choices)
    equipment_name = models.CharField(_("equipment name"), max_length=200, blank=True, default="")
    location = models.CharField(_("equipment location"), max_length=200)
    last_inspected_on = models.DateField(_("last inspection"), null=True, blank=True)
    next_inspection_on = models.DateField(_("next inspection due"), db_index=True)

    class Meta:
        verbose_name = _("special-equipment registration")
        verbose_name_plural = _("special-equipment registrations")
        ordering = ["next_inspection_on", "registration_no"]

    def __str__(self) -> str:
        return self.registration_no


class SafetyLicence(DatasetRecord):
    """A safety licence or qualification certificate held by an enterprise or one of its people. Confidential:
    licence records name people and their qualifications (个人信息保护法 第二十八条), and are shared beyond the
    issuing department under a grant (数据安全法 第二十一条)."""

    licence_type = models.CharField(_("licence type"), max_length=32, choices=LicenceType.choices)
    licence_no = models.CharField(_("licence number"), max_length=60)
    holder_name = models.CharField(_("holder (person)"), max_length=100, blank=True, default="")
    scope = models.CharField(_("licence scope"), max_length=500)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), db_index=True)

    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.CONFIDENTIAL
    )
    sensitive_fields = {"holder_name": "person_name", "enterprise_code": "uscc"}

    class Meta:
        verbose_name = _("safety licence or qualification")
        verbose_name_plural = _("safety licences and qualifications")
        ordering = ["valid_until", "licence_no"]
        constraints = [
            models.UniqueConstraint(fields=["licence_type", "licence_no"], name="exchange_safety_licence_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_licence_type_display()} {self.licence_no}"


class TransportTrack(DatasetRecord):
    """A position report of a dangerous-goods vehicle from the satellite positioning platform (道路运输车辆动态监督
    管理办法 第十五条; JT/T 808-2019). High volume: keyed by vehicle and time."""

    vehicle = models.CharField(_("vehicle"), max_length=40)
    recorded_at = models.DateTimeField(_("time"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    speed_kmh = models.DecimalField(_("speed (km/h)"), max_digits=6, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("transport track point")
        verbose_name_plural = _("transport track points")
        ordering = ["vehicle", "-recorded_at"]
        constraints = [models.UniqueConstraint(fields=["vehicle", "recorded_at"], name="exchange_track_key")]
        indexes = [models.Index(fields=["enterprise", "recorded_at"], name="exchange_track_enterprise")]

    def __str__(self) -> str:
        return f"{self.vehicle} {self.recorded_at:%Y-%m-%d %H:%M}"


class ResolutionCase(TimeStampedModel):
    """A reported enterprise name that matched registered enterprises only approximately: an officer confirms."""

    name_key = models.CharField(_("normalised name"), max_length=300, unique=True)
    reported_name = models.CharField(_("reported name"), max_length=300)
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("confirmed enterprise"),
    )  # fmt: skip
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("resolution case")
        verbose_name_plural = _("resolution cases")
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return self.reported_name


class ResolutionCandidate(models.Model):
    case = models.ForeignKey(ResolutionCase, on_delete=models.CASCADE, related_name="candidates")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("similarity"))

    class Meta:
        verbose_name = _("resolution candidate")
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["case", "enterprise"], name="exchange_candidate_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.enterprise_id} ({self.score:.2f})"


class PendingRegistration(TimeStampedModel):
    """An enterprise that department data names but the registry does not hold yet: never a dropped row."""

    name_key = models.CharField(_("normalised name"), max_length=300, unique=True)
    reported_name = models.CharField(_("reported name"), max_length=300)
    reported_code = models.CharField(_("reported credit code"), max_length=18, blank=True, default="", db_index=True)
    first_dataset = models.CharField(_("first seen in"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=PendingStatus.choices, default=PendingStatus.OPEN)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("registered enterprise"),
    )  # fmt: skip
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("linked by"),
    )  # fmt: skip
    linked_at = models.DateTimeField(_("linked at"), null=True, blank=True)
    rows_linked = models.PositiveIntegerField(_("rows linked"), default=0)

    class Meta:
        verbose_name = _("pending registration")
        verbose_name_plural = _("pending registrations")
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return self.reported_name
