"""Job health records: every scheduled or backfill job writes one row per run."""

from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

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


# Stored in English, as every detail of a run is (the job health page shows the detail as recorded).
WORKER_LOST = gettext_noop("the run did not finish: its worker stopped")


def job_runs_close_stale(*, older_than: timedelta) -> int:
    """Runs started longer ago than any run takes and never finished lost their worker (killed, or the
    machine stopped): close them as failed with that reason instead of leaving them unfinished."""
    cutoff = timezone.now() - older_than
    return JobRun.objects.filter(finished_at__isnull=True, started_at__lt=cutoff).update(
        ok=False, detail={"error": WORKER_LOST}, finished_at=timezone.now()
    )
