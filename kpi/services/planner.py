"""KGI reverse planning, the writes: keep a computed plan as a new version, apply its targets.

The walk back itself is pure arithmetic (kpi/funnel.py); kpi/selectors/plans.py plan_preview reads
the team's trailing history into it; kpi/forms/planner.py parses the goal.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Team, User

from .. import periods
from ..models import Plan
from ..selectors.plans import PlanInput, plan_preview
from .targets import TargetRow, targets_write


def _rates_of(result: dict) -> dict:
    return {k: {"rate": v["rate"], "source": v["source"]} for k, v in result["rates"].items()} | {
        "avg_order_amount": result["avg_order_amount"]
    }


@transaction.atomic
def plan_save(*, plan_input: PlanInput, as_of: date, user: User | None) -> Plan:
    """Keep the computed plan as the next version of this team's plan for the month."""
    result = plan_preview(plan_input=plan_input, as_of=as_of)
    # Lock the team row so two saves cannot take the same version number.
    Team.objects.select_for_update().filter(pk=plan_input.team.pk).first()
    latest = Plan.objects.filter(team=plan_input.team, month=plan_input.month).aggregate(v=Max("version"))["v"]
    return Plan.objects.create(
        team=plan_input.team,
        month=plan_input.month,
        goal_kind=plan_input.goal_kind,
        goal_value=plan_input.goal_value,
        version=(latest or 0) + 1,
        rates=_rates_of(result),
        result=result,
        created_by=user,
    )


@transaction.atomic
def plan_apply(*, plan: Plan, user: User | None) -> int:
    """Create (or overwrite) the month's targets exactly as the saved plan shows them."""
    rows = [
        TargetRow(row["kpi"], row["scope"], row["scope_id"], periods.MONTH, plan.month, Decimal(str(row["value"])))
        for row in plan.result.get("targets", [])
    ]
    written = targets_write(rows=rows, user=user, plan=plan, source="plan")
    plan.applied_at = timezone.now()
    plan.save(update_fields=["applied_at"])
    return written
