"""Cross-department consistency: the leads IS plans to work against marketing's supply, and the
meetings IS plans against what field sales can take, per month.

Leads needed is a range: the plan's calls at 5 touches per lead (fewest leads) to 3 touches per lead
(most leads), DESIGN.md's usual cadence. Supply below the lower end is a warning (even the longest
cadence cannot use the plan's calls); below the upper end it is a caution.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from ..models import FsCapacity, LeadSupply
from .plans import latest_plans


@dataclass(frozen=True)
class Warning:
    kind: str  # leads | meetings
    level: str  # warning | caution
    month: date
    needed: int
    needed_max: int
    available: int | None  # None: the other department has recorded nothing


def month_consistency(*, month: date) -> tuple[dict, list[Warning]]:
    plans = latest_plans(month=month)
    calls = sum(_stage(p, "calls") for p in plans)
    meetings = sum(_stage(p, "meetings") for p in plans)
    leads_min = sum(p.result.get("leads_needed", [0, 0])[0] for p in plans)
    leads_max = sum(p.result.get("leads_needed", [0, 0])[1] for p in plans)
    supply = LeadSupply.objects.filter(month=month).aggregate(n=Sum("leads"))["n"]
    capacity = FsCapacity.objects.filter(month=month).values_list("meetings", flat=True).first()
    summary = {
        "month": month,
        "plans": plans,
        "calls": calls,
        "meetings": meetings,
        "leads_needed": (leads_min, leads_max),
        "lead_supply": supply,
        "fs_capacity": capacity,
    }
    warnings = []
    if plans:
        if supply is None or supply < leads_min:
            warnings.append(Warning("leads", "warning", month, leads_min, leads_max, supply))
        elif supply < leads_max:
            warnings.append(Warning("leads", "caution", month, leads_min, leads_max, supply))
        if capacity is None or meetings > capacity:
            warnings.append(Warning("meetings", "warning", month, meetings, meetings, capacity))
    return summary, warnings


def _stage(plan, stage: str) -> int:
    return next((s["required"] for s in plan.result.get("stages", []) if s["stage"] == stage), 0)
