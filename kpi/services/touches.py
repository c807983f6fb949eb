"""After any ingestion path commits, recompute just the rep-days it touched."""

from collections.abc import Iterable
from datetime import date

from django.db import transaction


def rollups_enqueue_refresh(rep_days: Iterable[tuple[int, date]]) -> None:
    """Enqueue an incremental refresh once the surrounding transaction commits (eager without a broker)."""
    from ..tasks import refresh_rep_days

    payload = sorted({(int(rep), day.isoformat()) for rep, day in rep_days})
    if payload:
        transaction.on_commit(lambda: refresh_rep_days.delay(rep_days=payload))
