from django.db import models
from django.utils.translation import gettext_lazy as _


class HazardCategory(models.TextChoices):
    FIRE = "fire", _("Fire")
    ELECTRICAL = "electrical", _("Electrical")
    SPECIAL_EQUIPMENT = "special_equipment", _("Special equipment")
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("Hazardous chemicals")
    HAZARDOUS_WASTE = "hazardous_waste", _("Hazardous waste")
    CONFINED_SPACE = "confined_space", _("Confined space")
    WORK_AT_HEIGHT = "work_at_height", _("Work at height")
    PORT_DG = "port_dg", _("Port and dangerous-goods operations")
    OTHER = "other", _("Other")


class HazardLevel(models.TextChoices):
    """安全生产事故隐患排查治理暂行规定 (国家安全监管总局令第16号) 第三条: general and major accident hazards."""

    GENERAL = "general", _("General hazard")
    MAJOR = "major", _("Major hazard")


class HazardSource(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    SELF_CHECK = "self_check", _("Enterprise self-check")
    OFFICER = "officer", _("Inspection finding")
    AGENCY = "agency", _("Third-party agency")
    PUBLIC = "public", _("Member of the public")


class HazardStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ASSIGNED = "assigned", _("Assigned")
    DISMISSED = "dismissed", _("Dismissed")
    RECTIFYING = "rectifying", _("Rectification required")
    SUBMITTED = "submitted", _("Rectification submitted")
    CLOSED = "closed", _("Accepted and closed")


OPEN_STATUSES = (HazardStatus.REPORTED, HazardStatus.ASSIGNED, HazardStatus.RECTIFYING, HazardStatus.SUBMITTED)


class HazardEventKind(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ROUTED = "routed", _("Routed")
    REROUTED = "rerouted", _("Sent to another department")
    ASSIGNED = "assigned", _("Assigned to an officer")
    DISPATCH_OFFERED = "dispatch_offered", _("Offered to the nearest officer")
    DISPATCH_ACCEPTED = "dispatch_accepted", _("Dispatch accepted")
    DISPATCH_DECLINED = "dispatch_declined", _("Dispatch declined")
    DISPATCH_EXPIRED = "dispatch_expired", _("Dispatch not accepted in time")
    DISPATCH_NONE = "dispatch_none", _("No available officer")
    CONFIRMED = "confirmed", _("Verified: confirmed")
    DISMISSED = "dismissed", _("Verified: dismissed")
    RECTIFICATION_REQUIRED = "rectification_required", _("Rectification required")
    LISTED = "listed", _("Listed for supervision")
    RECTIFICATION_SUBMITTED = "rectification_submitted", _("Rectification submitted")
    ACCEPTED = "accepted", _("Accepted and closed")
    REOPENED = "reopened", _("Reopened")
    OVERDUE = "overdue", _("Rectification overdue")
    ESCALATED_HEAD = "escalated_head", _("Escalated to the department head")
    ESCALATED_ZONE = "escalated_zone", _("Escalated to the zone administration")


class Escalation(models.IntegerChoices):
    NONE = 0, _("Not escalated")
    DEPARTMENT_HEAD = 1, _("Department head")
    ZONE_ADMINISTRATION = 2, _("Zone administration")


class CheckResult(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")
    NOT_APPLICABLE = "na", _("Not applicable")


class SelfCheckStatus(models.TextChoices):
    DRAFT = "draft", _("In progress")
    SUBMITTED = "submitted", _("Submitted")


class PhotoKind(models.TextChoices):
    REPORT = "report", _("Report photo")
    EVIDENCE = "evidence", _("Rectification evidence")
    SELF_CHECK = "self_check", _("Self-check photo")
