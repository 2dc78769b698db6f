from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DangerousGoodsConfig(AppConfig):
    name = "ftzsafety.dangerous_goods"
    label = "dangerous_goods"
    verbose_name = _("Dangerous goods")
    default_auto_field = "django.db.models.BigAutoField"
