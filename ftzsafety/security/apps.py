from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "ftzsafety.security"
    label = "security"
    verbose_name = _("Data security")

    def ready(self) -> None:
        checks.register(check_key_store, checks.Tags.security)


def check_key_store(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Key files readable by other accounts defeat encryption at rest (GB/T 22239-2019 level 3, key protection).

    The crypto self-test is not run here: `ftzsafety/wsgi.py` (every server process) and `serve` call
    `crypto.require_selftest()` before accepting requests."""
    from ftzsafety.security import keys

    return [checks.Error(problem, id="security.E110") for problem in keys.key_store_problems()]
