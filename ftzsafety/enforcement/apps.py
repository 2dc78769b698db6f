from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "ftzsafety.enforcement"
    label = "enforcement"
    verbose_name = _("Enforcement")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ftzsafety.enforcement import selectors  # noqa: F401  (registers the visibility scopes)
