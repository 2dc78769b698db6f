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


class SensitiveKind(models.TextChoices):
    """Kinds of personal or commercial data a model declares in `sensitive_fields`; each kind has its own
    masking rule in `ftzsafety.security.masking` (个人信息保护法 第二十八条 sensitive personal information;
    GB/T 35273-2020 §3.1, §6.2; GB/T 37964-2019 de-identification)."""

    PERSON_NAME = "person_name", _("Person name")
    RESIDENT_ID = "resident_id", _("Resident ID number")
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("E-mail address")
    ADDRESS = "address", _("Address")
    COMMERCIAL_FIGURE = "commercial_figure", _("Commercial figure")
    USCC = "uscc", _("Credit code")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    FREE_TEXT = "free_text", _("Free text")


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
    # field name → SensitiveKind value, e.g. {"contact_name": "person_name", "contact_phone": "phone"}.
    # Masking (security.masking.mask_instance) and grants (which fields a grant may clear) read this.
    sensitive_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    @classmethod
    def sensitive_field_kinds(cls) -> dict[str, str]:
        """The declared sensitive fields, field name → kind."""
        return dict(cls.sensitive_fields)

    @classmethod
    def check(cls, **kwargs: object) -> list:
        """System check: every declared sensitive field exists on the model and has a known kind."""
        from django.core import checks

        errors = super().check(**kwargs)
        names = {f.name for f in cls._meta.get_fields()}
        for name, kind in cls.sensitive_fields.items():
            if name not in names:
                errors.append(
                    checks.Error(f"sensitive_fields names {name!r}, which is not a field", obj=cls, id="core.E001")
                )
            if kind not in SensitiveKind.values:
                errors.append(
                    checks.Error(
                        f"sensitive_fields[{name!r}] = {kind!r} is not a SensitiveKind", obj=cls, id="core.E002"
                    )
                )
        return errors
