"""Scheduled work of the audit trail.

`make_checkpoint` signs the chain head (GB/T 22239-2019 §8.1.4.3 d). django-tasks has no scheduler of its own:
run `ftzsafety audit_checkpoint` from cron (hourly, say), which signs at once, or `ftzsafety audit_checkpoint
--enqueue`, which queues this task for `ftzsafety db_worker`. Safe to run twice: each run signs the head as it is.
"""

from django_tasks import task

from ftzsafety.audit import services


@task()
def make_checkpoint() -> int:
    """Sign the current chain head; returns the checkpoint's id."""
    return services.checkpoint_make(actor=None).pk
