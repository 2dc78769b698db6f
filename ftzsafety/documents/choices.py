from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    SAFETY_LICENCE = "safety_licence", _("Safety production licence")
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    SDS = "sds", _("Safety data sheet")
    QUALIFICATION = "qualification", _("Qualification certificate")
    EMERGENCY_PLAN = "emergency_plan", _("Emergency plan")
    OTHER = "other", _("Other document")


class DocumentStatus(models.TextChoices):
    """ACTIVE → SUPERSEDED (a newer version replaced it) or WITHDRAWN (the enterprise took it back)."""

    ACTIVE = "active", _("Current")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DocumentEventKind(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    REPLACED = "replaced", _("Replaced by a newer version")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    USED = "used", _("Used")
