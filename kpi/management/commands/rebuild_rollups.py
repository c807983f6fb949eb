"""`python manage.py rebuild_rollups [--since YYYY-MM-DD]`: backfill or fully rebuild the rollups.

Runs in one transaction under the rollup lock (waiting for an incremental refresh to finish), so an
interrupted run leaves the previous rows in place and running it twice gives identical rows.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ...db.locks import LockBusy
from ...services.jobs import job_run
from ...services.rollups import rollups_rebuild


def _parse_since(raw: str | None) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--since must be a date as YYYY-MM-DD, got {raw!r}") from None


class Command(BaseCommand):
    help = "Recompute every rollup (day, week, month, quarter; rep, team, org; hours) from --since on."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="First local day to recompute (YYYY-MM-DD); everything when omitted.")

    def handle(self, *args, since: str | None = None, **options):
        first = _parse_since(since)
        try:
            with job_run("rebuild_rollups") as detail:
                detail["since"] = first.isoformat() if first else None
                detail.update(rollups_rebuild(since=first, wait=True))
        except LockBusy as exc:
            raise CommandError(f"{exc}; run the command again later.") from exc
        if detail.get("days", 0) > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Rebuilt rollups for {detail['days']} days ({detail['first']} .. {detail['last']})."
                )
            )
        else:
            scope = f"from {first.isoformat()}" if first else "everything"
            self.stdout.write(self.style.SUCCESS(f"No events to roll up; cleared rollups ({scope})."))
