"""Celery task of the ingestion area: run one uploaded import. Bad data is a result, not a retry."""

from celery import shared_task
from django.db import InterfaceError, OperationalError


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=10, max_retries=3)
def run_import_job(*, job_id: int) -> dict:
    from .services.imports.jobs import import_job_run

    return import_job_run(job_id=job_id)
