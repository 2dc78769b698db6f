"""Background work of the data exchange: queued imports (services.import_enqueue), run by `ftzsafety db_worker`."""

from django_tasks import task


@task()
def run_import(job_id: int) -> dict:
    from ftzsafety.exchange.services import import_run_queued

    job = import_run_queued(job_id=job_id)
    return {"job": job.pk, "status": job.status, "total": job.total, "created": job.created}
