"""`ftzsafety hazards_escalate [--enqueue]`: escalate overdue rectifications and pass unaccepted dispatches on.

Cron runs it (every 15 minutes, say). Without `--enqueue` the work is done now and summarised; with it, the tasks
are queued for `ftzsafety db_worker`."""

from typing import Any

from django.core.management.base import BaseCommand

from ftzsafety.hazards import services
from ftzsafety.hazards.tasks import escalate_overdue, expire_dispatches


class Command(BaseCommand):
    help = "Escalate overdue hazard rectifications and move unaccepted dispatches to the next officer."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--enqueue", action="store_true", help="queue the tasks for the worker instead")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            escalate_overdue.enqueue()
            expire_dispatches.enqueue()
            self.stdout.write("queued hazards escalation and dispatch expiry")
            return
        report = services.hazards_escalate()
        moved = services.dispatch_expire_due()
        self.stdout.write(
            f"overdue and escalated to department heads: {len(report.overdue)} {' '.join(report.overdue)}\n"
            f"escalated to the zone administration: {len(report.escalated_to_zone)} "
            f"{' '.join(report.escalated_to_zone)}\n"
            f"dispatches passed to the next officer: {moved}"
        )
