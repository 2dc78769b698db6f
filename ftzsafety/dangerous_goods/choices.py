from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """GB 18218-2018 §3.2–3.3: a unit is a production unit or a storage unit."""

    PRODUCTION = "production", _("Production unit")
    STORAGE = "storage", _("Storage unit")


class VariantSource(models.TextChoices):
    GB12268 = "gb12268", _("GB 12268-2025")
    HMT = "hmt", _("49 CFR 172.101")


class BetaBasis(models.TextChoices):
    """Where a line's correction factor β came from (GB 18218-2018 Tables 3 and 4)."""

    NAMED = "table3", _("named toxic gas (Table 3)")
    CATEGORY = "category", _("hazard category (Table 4)")
    ASSUMED = "assumed", _("assumed 1: no named β and no category given")


class LithiumChemistry(models.TextChoices):
    METAL = "lithium_metal", _("Lithium metal")
    ION = "lithium_ion", _("Lithium ion")
