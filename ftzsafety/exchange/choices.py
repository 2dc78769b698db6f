from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
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
