from django.core.management.base import BaseCommand

from kpi.services.reviews import reviews_evaluate
from kpi.services.rollups import rollups_rebuild
from tools.demo import seed as demo


class Command(BaseCommand):
    help = "Create the demo organisation with 90 days of activity and targets, then compute the rollups."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Remove an earlier demo first.")
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, reset: bool, days: int, **options):
        if reset:
            demo.demo_reset()
        elif demo.User.objects.filter(email__endswith=f"@{demo.DOMAIN}").exists():
            self.stdout.write("Demo data already present (use --reset to recreate it).")
            return
        counts = demo.demo_seed(days=days)
        counts["rollups"] = rollups_rebuild(wait=True)
        # Planning: rules that fire on the under-70% reps, lead supply, a saved plan, then the evaluation.
        counts["review_rules"] = demo.demo_review_rules()
        counts.update(demo.demo_planning())
        counts["reviews_daily"] = reviews_evaluate(cadence="daily")["opened"]
        counts["reviews_weekly"] = reviews_evaluate(cadence="weekly")["opened"]
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {counts}"))
        self.stdout.write(f"Logins (password {demo.PASSWORD}):")
        for role, email in demo.demo_accounts().items():
            self.stdout.write(f"  {role:<10} {email}")
