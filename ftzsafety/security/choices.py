"""Choices of the access-request workflow (数据分级 / 授权审批)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for an earlier step")
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Not needed")


class ApproverKind(models.TextChoices):
    """Who decides a step of the approval chain (数据安全法 第三十条; GB/T 22239-2019 §8.1.4.2 c: the security
    administrator authorises access to data)."""

    REQUESTER_HEAD = "requester_head", _("Head of the requester's department")
    OWNER_HEAD = "owner_head", _("Head of the owning organisation")
    ZONE_ADMIN_HEAD = "zone_admin_head", _("Head of the zone administration")
    SECURITY_ADMIN = "security_admin", _("Security administrator")


# The default chain when no ApprovalChainRule is configured (issue 3, item 5).
DEFAULT_CHAIN: tuple[str, ...] = (ApproverKind.REQUESTER_HEAD, ApproverKind.OWNER_HEAD, ApproverKind.SECURITY_ADMIN)


class AccessEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    STEP_APPROVED = "step_approved", _("Step approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    GRANTED = "granted", _("Grant issued")
    REVOKED = "revoked", _("Grant revoked")
