from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "ftzsafety.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from ftzsafety.audit import selectors, signals

        signals.connect()
        del selectors  # imported for its register_scope declarations
