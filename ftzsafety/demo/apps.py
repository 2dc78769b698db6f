from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo zone generator (`ftzsafety seed_demo`, `ftzsafety demo`). Everything it makes is marked demo."""

    name = "ftzsafety.demo"
    label = "demo"
    verbose_name = _("Demo zone")
