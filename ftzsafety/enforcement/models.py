"""Field enforcement: where officers are and whether they are free, and dispatches of urgent work to the nearest
available officer of the responsible department."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficerLocation(models.Model):
    """An officer's last reported position (WGS 84) and availability. Personal data (个人信息保护法 第二十八条:
    whereabouts are sensitive personal information): seen only by the officer's own department and the zone
    administration's command centre, kept as the latest position only (no track)."""

    officer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="location", verbose_name=_("officer")
    )
    department = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    available = models.BooleanField(_("available"), default=True)
    reported_at = models.DateTimeField(_("reported at"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("officer location")
        verbose_name_plural = _("officer locations")
        permissions = [("report_location", "Can report own location and availability")]
        indexes = [
            # The nearest-officer query: a latitude band inside one department's available officers, then longitude.
            models.Index(fields=["department", "available", "latitude", "longitude"], name="officer_loc_bbox"),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} @ {self.latitude:.5f},{self.longitude:.5f}"


class DispatchStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Not accepted in time")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Dispatch(models.Model):
    """One offer of a hazard to one officer. The next offer goes to the next-nearest officer not yet asked."""

    hazard = models.ForeignKey("hazards.Hazard", on_delete=models.CASCADE, related_name="dispatches")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    distance_m = models.FloatField(_("distance (m)"))
    offered_at = models.DateTimeField(_("offered at"))
    respond_by = models.DateTimeField(_("respond by"))
    status = models.CharField(_("status"), max_length=16, choices=DispatchStatus.choices, default="offered")
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["hazard", "offered_at", "id"]
        indexes = [models.Index(fields=["status", "respond_by"], name="dispatch_status_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["hazard"], condition=models.Q(status="offered"), name="dispatch_one_open_offer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.hazard_id} → {self.officer_id} ({self.status})"

    @property
    def seconds_to_accept(self) -> float | None:
        if self.responded_at is None or self.status != DispatchStatus.ACCEPTED:
            return None
        return (self.responded_at - self.offered_at).total_seconds()
