"""Organisations, people and API tokens."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ftzsafety.accounts.choices import GOVERNMENT_KINDS, DepartmentCode, OrganisationKind
from ftzsafety.accounts.roles import ENTERPRISE_ROLES, GOVERNMENT_ROLES, PLATFORM_ROLES, Role
from ftzsafety.core.language import localised
from ftzsafety.core.models import TimeStampedModel
from ftzsafety.security.fields import EncryptedCharField


class Organisation(TimeStampedModel):
    """Every person belongs to exactly one organisation; organisations own the data they produce."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    code = models.SlugField(_("code"), max_length=64, unique=True, help_text=_("Short stable identifier."))
    department_code = models.CharField(
        _("department code"),
        max_length=16,
        choices=DepartmentCode.choices,
        blank=True,
        default="",
    )
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True, default="")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["department_code"],
                condition=~models.Q(department_code=""),
                name="organisation_department_code_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["department", "zone_administration"]) | models.Q(department_code=""),
                name="organisation_department_code_only_for_government",
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh

    @property
    def is_government(self) -> bool:
        return self.kind in GOVERNMENT_KINDS

    def display_name(self, language: str | None = None) -> str:
        return localised(self.name_zh, self.name_en, language)


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
    )
    full_name = models.CharField(_("full name"), max_length=100, blank=True, default="")
    is_demo = models.BooleanField(_("demo account"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # Authentication data is kept confidential at rest (GB/T 22239-2019 §8.1.4.8): the TOTP seed is SM4-GCM
    # encrypted, bound to this row by `row_key`.
    row_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    totp_secret = EncryptedCharField(_("TOTP secret"), max_length=64, blank=True, default="")
    totp_confirmed_at = models.DateTimeField(_("second factor enrolled at"), null=True, blank=True)
    totp_last_timecode = models.BigIntegerField(_("last TOTP time step used"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def role_names(self) -> frozenset[str]:
        """Role codes of this user, cached per instance (one query)."""
        if not hasattr(self, "_role_names"):
            self._role_names = frozenset(self.groups.values_list("name", flat=True)) if self.pk else frozenset()
        return self._role_names

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    @property
    def is_government(self) -> bool:
        return bool(self.organisation and self.organisation.is_government and self.role_names & GOVERNMENT_ROLES)

    @property
    def is_enterprise_user(self) -> bool:
        return bool(
            self.organisation
            and self.organisation.kind == OrganisationKind.ENTERPRISE
            and self.role_names & ENTERPRISE_ROLES
        )

    @property
    def is_platform_admin(self) -> bool:
        return bool(self.role_names & PLATFORM_ROLES)

    @property
    def requires_second_factor(self) -> bool:
        """Government and platform roles sign in with TOTP (GB/T 22239-2019 §8.1.4.1 d)."""
        return bool(self.role_names & (GOVERNMENT_ROLES | PLATFORM_ROLES))

    @property
    def primary_role(self) -> str | None:
        """The role that decides the home page; the first in Role's declared order."""
        for role in Role:
            if role.value in self.role_names:
                return role.value
        return None


class ApiToken(models.Model):
    """A bearer token for department systems. Only a SHA-256 digest of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100, blank=True, default="")
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class UserSession(models.Model):
    """The sessions a person has open, so that disabling the account can end them at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="open_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("open session")
        verbose_name_plural = _("open sessions")

    def __str__(self) -> str:
        return f"{self.user} {self.session_key[:6]}…"
