"""In-app notifications about hazards, and an e-mail adapter that is off by default.

Kept in the hazards app (not core): it is the only workflow that notifies people so far; its shape (recipient,
subject row, event kind, read time) is small enough to move to `core` when a second app needs it.

E-mail: set `HAZARDS_EMAIL_NOTIFICATIONS = True` (and Django's EMAIL_* settings) to also send each notice to the
recipient's address, after the transaction commits; a failed send is logged, never raised into the workflow.
"""

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ftzsafety.hazards.choices import HazardEventKind
from ftzsafety.hazards.models import Hazard, Notification

log = logging.getLogger(__name__)


def notification_text(kind: str, code: str) -> str:
    """The notice for an event, in the active language."""
    texts = {
        HazardEventKind.REPORTED: _("Hazard %(code)s was reported to your department."),
        HazardEventKind.ROUTED: _("Hazard %(code)s was routed to your department."),
        HazardEventKind.REROUTED: _("Hazard %(code)s was sent to your department."),
        HazardEventKind.ASSIGNED: _("Hazard %(code)s was assigned to you."),
        HazardEventKind.DISPATCH_OFFERED: _(
            "Urgent: hazard %(code)s is offered to you as the nearest officer. Accept it."
        ),
        HazardEventKind.CONFIRMED: _("Hazard %(code)s was confirmed: rectification is required."),
        HazardEventKind.DISMISSED: _("Hazard %(code)s was dismissed after verification."),
        HazardEventKind.LISTED: _("Major hazard %(code)s is listed for supervision."),
        HazardEventKind.RECTIFICATION_SUBMITTED: _(
            "The rectification of hazard %(code)s was submitted for acceptance."
        ),
        HazardEventKind.ACCEPTED: _("The rectification of hazard %(code)s was accepted; the hazard is closed."),
        HazardEventKind.REOPENED: _("The rectification of hazard %(code)s was not accepted; it is reopened."),
        HazardEventKind.OVERDUE: _("The rectification of hazard %(code)s is overdue."),
        HazardEventKind.ESCALATED_HEAD: _("Overdue hazard %(code)s is escalated to you as department head."),
        HazardEventKind.ESCALATED_ZONE: _("Overdue hazard %(code)s is escalated to the zone administration."),
        HazardEventKind.DISPATCH_NONE: _("Urgent hazard %(code)s: no officer of your department is available."),
    }
    template = texts.get(kind, _("Hazard %(code)s changed."))
    return template % {"code": code}


def department_people(department_id: int, roles: Iterable[str]) -> list[Any]:
    """Active members of a department holding any of `roles`."""
    return list(
        get_user_model()
        .objects.filter(organisation_id=department_id, is_active=True, groups__name__in=list(roles))
        .distinct()
    )


def enterprise_people(hazard: Hazard) -> list[Any]:
    if hazard.enterprise_id is None or hazard.enterprise.organisation_id is None:
        return []
    return list(
        get_user_model()
        .objects.filter(
            organisation_id=hazard.enterprise.organisation_id,
            is_active=True,
            groups__name__in=["enterprise_admin", "enterprise_staff"],
        )
        .distinct()
    )


def zone_coordinators() -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(
            organisation__kind="zone_administration", is_active=True, groups__name__in=["commander", "department_head"]
        )
        .distinct()
    )


def notify(*, hazard: Hazard, kind: str, recipients: Iterable[Any]) -> list[Notification]:
    """One notice per distinct recipient; e-mails (when enabled) go after the commit."""
    seen: set[int] = set()
    rows = []
    for person in recipients:
        if person is None or person.pk in seen:
            continue
        seen.add(person.pk)
        rows.append(Notification(recipient=person, hazard=hazard, kind=kind))
    created = Notification.objects.bulk_create(rows)
    if getattr(settings, "HAZARDS_EMAIL_NOTIFICATIONS", False) and created:
        ids = [n.pk for n in created if n.pk]
        transaction.on_commit(lambda: send_emails(ids))
    return created


def send_emails(notification_ids: list[int]) -> int:
    """The e-mail adapter: one message per notice whose recipient has an address. Returns how many were sent."""
    from django.core.mail import send_mail

    sent = 0
    for notice in Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).select_related(
        "recipient", "hazard"
    ):
        if not notice.recipient.email:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            text = notification_text(notice.kind, notice.hazard.code if notice.hazard else "")
        try:
            send_mail(text, text, None, [notice.recipient.email])
        except Exception:  # a mail server outage must not break the workflow; the notice stays in the app
            log.exception("hazard notice %s: e-mail failed", notice.pk)
            continue
        Notification.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
