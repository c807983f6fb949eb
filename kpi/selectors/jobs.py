"""What the job-health page reads."""

from datetime import datetime

from django.db.models import Max

from .. import periods
from ..models import JobRun, Rollup


def last_rollup_written_at() -> datetime | None:
    """When a rollup was last written.

    Every run that writes a rep row also rewrites the organisation's quarter row of that bucket
    with the same timestamp, so the newest of those few rows is the newest of all. The same max over
    the whole table was a sequential scan: 75-185 ms at 1,000 reps x 520 days, 1.6 ms this way.
    """
    latest = Rollup.objects.filter(granularity=periods.QUARTER, scope="org").aggregate(at=Max("computed_at"))
    return latest["at"]


def job_runs_latest(limit: int = 50) -> list[JobRun]:
    return list(JobRun.objects.all()[:limit])
