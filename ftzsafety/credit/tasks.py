"""Background work of credit grading: re-grading the whole zone after a policy change (safe to run twice)."""

from django_tasks import task


@task()
def regrade_zone() -> dict:
    from ftzsafety.credit.services import credit_regrade_zone

    report = credit_regrade_zone(actor=None)
    return {"enterprises": report.enterprises, "changed": report.changed, "policy_version": report.policy_version}
