"""Scheduled work of the hazard loop. django-tasks has no scheduler of its own: run `ftzsafety hazards_escalate`
from cron (every 15 minutes, say), which runs at once, or `ftzsafety hazards_escalate --enqueue`, which queues these
tasks for `ftzsafety db_worker`. Both are safe to run twice."""

from django_tasks import task

from ftzsafety.hazards import services


@task()
def escalate_overdue() -> dict:
    """Overdue rectifications: notify, escalate to the department head, then to the zone administration."""
    report = services.hazards_escalate()
    return {"overdue": report.overdue, "escalated_to_zone": report.escalated_to_zone}


@task()
def expire_dispatches() -> int:
    """Urgent hazards not accepted in time go to the next-nearest available officer."""
    return services.dispatch_expire_due()
