from django.db import models
from django.utils.translation import gettext_lazy as _


class IndustrySection(models.TextChoices):
    """GB/T 4754-2017 国民经济行业分类, sections (门类) A–T."""

    A = "A", _("A Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("B Mining")
    C = "C", _("C Manufacturing")
    D = "D", _("D Electricity, heat, gas and water supply")
    E = "E", _("E Construction")
    F = "F", _("F Wholesale and retail trade")
    G = "G", _("G Transport, storage and postal services")
    H = "H", _("H Accommodation and catering")
    I = "I", _("I Information transmission, software and IT services")  # noqa: E741
    J = "J", _("J Finance")
    K = "K", _("K Real estate")
    L = "L", _("L Leasing and business services")
    M = "M", _("M Scientific research and technical services")
    N = "N", _("N Water conservancy, environment and public facilities management")
    O = "O", _("O Resident services, repair and other services")  # noqa: E741
    P = "P", _("P Education")
    Q = "Q", _("Q Health and social work")
    R = "R", _("R Culture, sports and entertainment")
    S = "S", _("S Public administration, social security and social organisations")
    T = "T", _("T International organisations")


class OrganisationForm(models.TextChoices):
    """Enterprise legal forms as registered by market supervision."""

    LIMITED_LIABILITY = "limited_liability", _("Limited liability company")
    JOINT_STOCK = "joint_stock", _("Joint stock company")
    WHOLLY_FOREIGN_OWNED = "wfoe", _("Wholly foreign-owned enterprise")
    SINO_FOREIGN_JV = "sino_foreign_jv", _("Sino-foreign joint venture")
    BRANCH = "branch", _("Branch")
    PARTNERSHIP = "partnership", _("Partnership")
    SOLE_PROPRIETORSHIP = "sole_proprietorship", _("Sole proprietorship")
    STATE_OWNED = "state_owned", _("State-owned enterprise")


FOREIGN_FORMS = frozenset({OrganisationForm.WHOLLY_FOREIGN_OWNED, OrganisationForm.SINO_FOREIGN_JV})


class AreaKind(models.TextChoices):
    PORT = "port", _("Port area")
    BONDED_LOGISTICS = "bonded_logistics", _("Bonded logistics park")
    MANUFACTURING = "manufacturing", _("Manufacturing park")
    OTHER = "other", _("Other area")


class ContactRole(models.TextChoices):
    """Responsible persons the safety-production law names (安全生产法 第五条, 第二十五条)."""

    LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
    PRINCIPAL = "principal", _("Principal person in charge")
    SAFETY_MANAGER = "safety_manager", _("Safety manager")
    EMERGENCY_CONTACT = "emergency_contact", _("24-hour emergency contact")
