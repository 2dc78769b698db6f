"""Credit grades, event kinds and application states (PRODUCT.md P3.1, P1.4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    """The zone's own credit grade (separate from the customs credit levels of 海关总署令第251号)."""

    A = "A", _("A Excellent")
    B = "B", _("B Good")
    C = "C", _("C Fair")
    D = "D", _("D Discredited")


GRADE_ORDER = ("A", "B", "C", "D")


class EventKind(models.TextChoices):
    """What the system learns about an enterprise. Modules emit these through `credit.services`."""

    # hazards (安全生产事故隐患排查治理暂行规定)
    HAZARD_RECTIFIED_ON_TIME = "hazard_rectified_on_time", _("Hazard rectified on time")
    HAZARD_OVERDUE = "hazard_overdue", _("Hazard rectification overdue")
    MAJOR_HAZARD_FOUND = "major_hazard_found", _("Major hazard found")
    # filings
    FILING_APPROVED_CLEAN = "filing_approved_clean", _("Filing approved without findings")
    FALSE_FILING = "false_filing", _("False or inconsistent filing established")
    # enforcement
    PENALTY = "penalty", _("Administrative penalty")
    SERIOUS_VIOLATION = "serious_violation", _("Serious violation")
    # certifications (ISO 45001, ISM Code, customs AEO) — count while valid
    CERTIFICATION = "certification", _("Valid certification")
    # modules still to come
    INSPECTION_PASSED = "inspection_passed", _("Inspection passed")
    INSPECTION_FAILED = "inspection_failed", _("Inspection failed")
    ASSOCIATION_RATING = "association_rating", _("Favourable association rating")
    ASSOCIATION_RATING_POOR = "association_rating_poor", _("Poor association rating")
    THIRD_PARTY_REPORT = "third_party_report", _("Third-party report without findings")
    THIRD_PARTY_REPORT_ADVERSE = "third_party_report_adverse", _("Adverse third-party report")


class CertificateType(models.TextChoices):
    ISO45001 = "ISO45001", _("ISO 45001 occupational health and safety")
    ISM = "ISM", _("ISM Code document of compliance")
    AEO = "AEO", _("Customs AEO (advanced certified enterprise)")


class EventStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ANNULLED = "annulled", _("Annulled after objection")
    REPAIRED = "repaired", _("Repaired")


class ApplicationKind(models.TextChoices):
    OBJECTION = "objection", _("Objection")
    REPAIR = "repair", _("Credit repair")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class ApplicationEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")
