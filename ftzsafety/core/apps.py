from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ftzsafety.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Scope rules are declared with authz.register_scope in each app's selectors module; load them all,
        # so visible_to works the same in a request, a task, a command or a test (not only after urls load).
        autodiscover_modules("selectors")
