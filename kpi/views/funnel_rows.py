"""The funnel's steps as table rows with their labels: shared by the planner, a plan and the weekly review."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .. import funnel

STEP_LABELS = {
    "connect": _("Connect rate (connects ÷ calls)"),
    "effective": _("Effective rate (effective conversations ÷ connects)"),
    "meeting": _("Meeting rate (meetings ÷ effective conversations)"),
    "qualified": _("Qualified rate (qualified meetings ÷ meetings FS has judged)"),
    "win": _("Win rate (orders ÷ qualified meetings won or lost)"),
    "volume": _("Call volume (calls against pace)"),
}
SOURCE_LABELS = {
    "history": _("team's trailing 90 days"),
    "edited": _("edited"),
    "benchmark": _("benchmark"),
}
VERDICTS = {
    "feasible": _("Feasible: within the team's recent calls per rep per day."),
    # xgettext:no-python-format
    "stretch": _("Stretch: above recent capacity but within 15% of it."),
    "infeasible": _("Not feasible: more than 15% above the team's recent capacity."),
    "no_reps": _("The team has no active reps."),
}


def benchmark_note(step: str) -> str:
    """Where a benchmark rate comes from, in words a manager can check."""
    if step in funnel.FROM_DESIGN:
        return str(_("published inside-sales call benchmark: about 50% of calls connect, 20% talk 2 minutes or more"))
    return str(_("product default: no published figure for this step"))


def rate_rows(result: dict) -> list[dict]:
    return [
        {
            "key": key,
            "label": STEP_LABELS[key],
            "rate": Decimal(r["rate"]),
            "source": r["source"],
            "source_label": SOURCE_LABELS[r["source"]],
            "note": benchmark_note(key) if r["source"] == "benchmark" else "",
            "trailing": Decimal(r["trailing"]),
            "trailing_source": SOURCE_LABELS[r["trailing_source"]],
        }
        # In funnel order: PostgreSQL's jsonb does not keep the keys' order.
        for key, r in ((k, result["rates"][k]) for k, _n, _d in funnel.STEPS if k in result["rates"])
    ]


def stage_rows(result: dict) -> list[dict]:
    return [
        {
            **s,
            "step_label": STEP_LABELS.get(s["step"] or "", ""),
            "rate": Decimal(s["rate"]) if s["rate"] else None,
            "source_label": SOURCE_LABELS.get(s.get("source") or "", ""),
        }
        for s in result["stages"]
    ]


def amount_source(result: dict) -> str:
    source = result["avg_order_amount"]["source"]
    if source == "benchmark":
        return str(_("assumed: no orders in the team's trailing 90 days"))
    return str(SOURCE_LABELS[source])
