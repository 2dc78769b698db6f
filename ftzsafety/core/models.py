"""Abstract bases shared by every app. No business rules here."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.TextChoices):
    """Data classification labels (PRODUCT.md P5.1). Ordered from least to most restricted."""

    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")


CLASSIFICATION_RANK = {Classification.PUBLIC: 0, Classification.INTERNAL: 1, Classification.CONFIDENTIAL: 2}


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SupervisedModel(TimeStampedModel):
    """A table of supervision data: it names its owning organisation and carries a classification.

    `core.authz.visible_to` reads these two columns, plus the model's `authz_enterprise_path`
    (the lookup from a row to the accounts Organisation of the enterprise the row is about),
    to decide who sees which rows. `sensitive_fields` declares columns by kind for masking.
    """

    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("owning organisation")
    )
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.INTERNAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    authz_enterprise_path: str | None = None
    sensitive_fields: dict[str, str] = {}

    class Meta:
        abstract = True
