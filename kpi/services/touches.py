"""After any ingestion path commits, recompute just the rep-days it touched."""

from collections.abc import Iterable
from datetime import date

from . import enqueue


def rollups_enqueue_refresh(rep_days: Iterable[tuple[int, date]]) -> None:
    """Enqueue an incremental refresh once the surrounding transaction commits (eager without a broker)."""
    payload = sorted({(int(rep), day.isoformat()) for rep, day in rep_days})
    if payload:
        enqueue.refresh_rep_days(rep_days=[list(pair) for pair in payload])
