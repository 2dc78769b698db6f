from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")


class JobSource(models.TextChoices):
    API = "api", _("API")
    FILE = "file", _("File")


class ResolutionStatus(models.TextChoices):
    """How a department row found (or did not yet find) its enterprise."""

    LINKED = "linked", _("Linked")
    QUEUED = "queued", _("Awaiting confirmation")
    PENDING_REGISTRATION = "pending_registration", _("Pending registration")


class PendingStatus(models.TextChoices):
    """A pending registration waits (OPEN) until the enterprise is registered and its rows are linked (LINKED)."""

    OPEN = "open", _("Waiting for registration")
    LINKED = "linked", _("Linked")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONFIRMED = "confirmed", _("Confirmed")


class Direction(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")


class Unit(models.TextChoices):
    """The units departments report quantities in (GB 3100-1993 units and the customs count unit 件)."""

    KG = "kg", _("kilogram")
    T = "t", _("tonne")
    G = "g", _("gram")
    L = "L", _("litre")
    M3 = "m3", _("cubic metre")
    PCS = "pcs", _("pieces")


class PortOperationKind(models.TextChoices):
    """Port dangerous-goods operations declared to the maritime administration (港口危险货物安全管理规定 第三十四条)."""

    LOADING = "loading", _("Loading")
    UNLOADING = "unloading", _("Unloading")
    YARD_STORAGE = "yard_storage", _("Yard storage")


class EquipmentCategory(models.TextChoices):
    """Categories of the special-equipment catalogue (特种设备目录, 质检总局公告2014年第114号;
    特种设备安全法 第二条)."""

    BOILER = "boiler", _("Boiler")
    PRESSURE_VESSEL = "pressure_vessel", _("Pressure vessel")
    PRESSURE_PIPING = "pressure_piping", _("Pressure piping")
    ELEVATOR = "elevator", _("Elevator")
    LIFTING_MACHINERY = "lifting_machinery", _("Lifting machinery")
    PASSENGER_ROPEWAY = "passenger_ropeway", _("Passenger ropeway")
    AMUSEMENT_DEVICE = "amusement_device", _("Large amusement device")
    FIELD_VEHICLE = "field_vehicle", _("Field (factory) motor vehicle")


class LicenceType(models.TextChoices):
    """Safety licences and qualifications that emergency management issues or records."""

    SAFETY_PRODUCTION = "safety_production", _("Safety production licence")  # 安全生产许可证条例 第二条
    HAZCHEM_OPERATION = "hazchem_operation", _("Hazardous chemicals operation licence")  # 危化品条例 第三十三条
    HAZCHEM_USE = "hazchem_use", _("Hazardous chemicals safe-use licence")  # 危化品条例 第二十九条
    PORT_DG_OPERATION = "port_dg_operation", _("Port dangerous-goods operation certificate")  # 港口危险货物安全管理规定
    PRINCIPAL_QUALIFICATION = "principal_qualification", _("Principal's safety qualification")  # 安全生产法 第二十七条
    SAFETY_MANAGER_QUALIFICATION = "safety_manager_qualification", _("Safety manager's qualification")  # 同上
    SPECIAL_OPERATION = "special_operation", _("Special operation certificate")  # 安全生产法 第三十条
