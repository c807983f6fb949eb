"""Job health records: every scheduled or backfill job writes one row per run."""

from contextlib import contextmanager

from django.utils import timezone

from ..models import JobRun


@contextmanager
def job_run(name: str):
    run = JobRun.objects.create(name=name)
    detail: dict = {}
    try:
        yield detail
    except Exception as exc:
        run.ok, run.detail = False, {**detail, "error": f"{type(exc).__name__}: {exc}"}
        raise
    else:
        run.ok, run.detail = True, detail
    finally:
        run.finished_at = timezone.now()
        run.save(update_fields=["ok", "detail", "finished_at"])
