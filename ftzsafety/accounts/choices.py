from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    ZONE_ADMINISTRATION = "zone_administration", _("Zone administration")
    DEPARTMENT = "department", _("Department")
    ENTERPRISE = "enterprise", _("Enterprise")
    ASSOCIATION = "association", _("Industry association")
    AGENCY = "agency", _("Third-party agency")
    EXPERT_POOL = "expert_pool", _("Expert pool")
    FOREIGN_AGENCY = "foreign_agency", _("Foreign emergency agency")
    PEER_ZONE = "peer_zone", _("Peer zone")
    PORT = "port", _("Port")
    PARK = "park", _("Hinterland park")
    PLATFORM = "platform", _("Platform operator")


class DepartmentCode(models.TextChoices):
    """Short codes of the regulators (ARCHITECTURE.md, "Codes")."""

    EMERGENCY = "emergency", _("Emergency management")
    CUSTOMS = "customs", _("Customs")
    MARITIME = "maritime", _("Maritime")
    MARKET = "market", _("Market supervision")
    COMMERCE = "commerce", _("Commerce")
    TRANSPORT = "transport", _("Transport")
    ECOLOGY = "ecology", _("Ecology and environment")
    FIRE = "fire", _("Fire and rescue")
    ZONE_ADMIN = "zone_admin", _("Zone administration")


GOVERNMENT_KINDS = frozenset({OrganisationKind.ZONE_ADMINISTRATION, OrganisationKind.DEPARTMENT})
