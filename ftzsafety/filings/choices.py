"""Choices of the filings workflow (PRODUCT.md P2.1, P3.2, P3.4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FilingTypeCode(models.TextChoices):
    DG_PRE_ARRIVAL = "dg_pre_arrival", _("Pre-arrival dangerous-goods filing")
    SAFETY_QUALIFICATION = "safety_qualification", _("Safety qualification filing")
    FOREIGN_TRAINING = "foreign_training", _("Foreign-related safety training application")


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    PREREVIEW_FAILED = "prereview_failed", _("Pre-review failed")
    IN_REVIEW = "in_review", _("In review")
    INFO_REQUESTED = "info_requested", _("Information requested")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")


EDITABLE_STATUSES = frozenset({FilingStatus.DRAFT, FilingStatus.PREREVIEW_FAILED})
REVIEWING_STATUSES = frozenset({FilingStatus.IN_REVIEW, FilingStatus.INFO_REQUESTED, FilingStatus.RESUBMITTED})
DECIDED_STATUSES = frozenset({FilingStatus.APPROVED, FilingStatus.REJECTED})


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Under review")
    INFO_REQUESTED = "info_requested", _("Information requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


OPEN_REVIEW_STATUSES = frozenset({ReviewStatus.PENDING, ReviewStatus.INFO_REQUESTED})


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    REQUEST_INFO = "request_info", _("Request information")


class RuleCondition(models.TextChoices):
    """When a department's review is required. The predicates are code; which department each applies to, and
    its deadline, are data (ReviewRule) that the zone administration edits."""

    ALWAYS = "always", _("Always")
    HAZARDOUS_CHEMICAL = "hazardous_chemical", _("A catalogued hazardous chemical is involved")
    BY_WATER = "by_water", _("Arrives by water")
    INLAND_ROAD = "inland_road", _("Moved inland by road")
    WAREHOUSE = "warehouse", _("Stored in a warehouse")
    CREDIT_GRADE_D = "credit_grade_d", _("Enterprise credit grade D")
    PORT_OPERATIONS = "port_operations", _("Port dangerous-goods operations")
    ROAD_TRANSPORT = "road_transport", _("Road transport of dangerous goods")
    FIRE_DRILL = "fire_drill", _("Includes a fire drill")


class Severity(models.TextChoices):
    BLOCKING = "blocking", _("Blocking")
    WARNING = "warning", _("Warning")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    ATTACHMENT_REMOVED = "attachment_removed", _("Attachment removed")
    SUBMITTED = "submitted", _("Submitted")
    PREREVIEW_FAILED = "prereview_failed", _("Pre-review failed")
    PREREVIEW_PASSED = "prereview_passed", _("Pre-review passed")
    REVIEW_OPENED = "review_opened", _("Review opened")
    INFO_REQUESTED = "info_requested", _("Information requested")
    RESUBMITTED = "resubmitted", _("Resubmitted with information")
    DEPARTMENT_APPROVED = "department_approved", _("Department approved")
    DEPARTMENT_REJECTED = "department_rejected", _("Department rejected")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    FALSE_FILING_ESTABLISHED = "false_filing_established", _("False filing established")


class ConveyanceMode(models.TextChoices):
    VESSEL = "vessel", _("Vessel")
    VEHICLE = "vehicle", _("Road vehicle")


class DestinationKind(models.TextChoices):
    YARD = "yard", _("Yard")
    WAREHOUSE = "warehouse", _("Warehouse")


class QuantityUnit(models.TextChoices):
    KG = "kg", _("kg")
    T = "t", _("t")
    L = "L", _("L")
    M3 = "m3", _("m³")


class AttachmentKind(models.TextChoices):
    SDS = "sds", _("Safety data sheet")
    LICENCE = "licence", _("Licence scan")
    CURRICULUM = "curriculum", _("Curriculum")


class QualificationKind(models.TextChoices):
    """Licences an enterprise handling dangerous goods holds (危险化学品安全管理条例 第十四、三十三、四十三条;
    港口危险货物安全管理规定 第十七条)."""

    HAZCHEM_TRADING = "hazchem_trading", _("Hazardous chemicals trading licence")
    SAFETY_PRODUCTION = "safety_production", _("Safety production licence")
    PORT_DG_OPERATIONS = "port_dg_operations", _("Port dangerous-goods operations certificate")
    ROAD_DG_TRANSPORT = "road_dg_transport", _("Road dangerous-goods transport licence")


class TrainingTopic(models.TextChoices):
    DG_HANDLING = "dg_handling", _("Dangerous-goods handling")
    EMERGENCY_RESPONSE = "emergency_response", _("Emergency response")
    FIRE_DRILL = "fire_drill", _("Fire drill")
    REGULATIONS = "regulations", _("Chinese safety regulations")
    PPE = "ppe", _("Personal protective equipment")
