from datetime import date

from django.core.management.base import BaseCommand, CommandError

from ...services.jobs import job_run
from ...services.reviews import reviews_evaluate


class Command(BaseCommand):
    help = "Evaluate the review rules now, exactly as the scheduled job does, and open review items."

    def add_arguments(self, parser):
        parser.add_argument("--cadence", choices=["daily", "weekly"], default="daily")
        parser.add_argument("--as-of", help="Evaluate through this day (YYYY-MM-DD).")

    def handle(self, *args, cadence: str, as_of: str | None, **options):
        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError as exc:
            raise CommandError(f"--as-of: {exc}") from None
        with job_run(f"evaluate_reviews_{cadence}") as detail:
            detail.update(reviews_evaluate(cadence=cadence, as_of=day))
        self.stdout.write(self.style.SUCCESS(str(detail)))
