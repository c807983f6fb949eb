"""The rep page's chart data (drawn by static/js/charts.js from json_script, next to its number table)."""

from django.utils.translation import gettext as _

from .. import catalog, funnel
from ..selectors.rep import RepFunnel
from ..selectors.values import KpiValue
from ..templatetags.kpi_format import kpi_name
from .funnel_rows import STEP_LABELS


def _plot(value, percent: bool):
    if value is None:
        return None
    return float(value * 100 if percent else value)


def trend_chart(values: list[KpiValue], kpi: str) -> dict:
    percent = catalog.get(kpi).unit == "percent"
    return {
        "type": "line",
        "percent": percent,
        "labels": [v.period_start.strftime("%m/%d") for v in values],
        "series": [
            {"label": kpi_name(kpi), "data": [_plot(v.value, percent) for v in values]},
            {"label": _("Target"), "data": [_plot(v.target, percent) for v in values], "colour": "#9ca3af"},
            {"label": _("Pace"), "data": [_plot(v.expected, percent) for v in values], "colour": "#d97706"},
        ],
    }


def funnel_chart(rep_funnel: RepFunnel) -> dict:
    """Step rates of the rep next to the team's, in percent."""
    return {
        "type": "bar",
        "percent": True,
        "labels": [str(STEP_LABELS[s.key]).split(" (")[0] for s in rep_funnel.steps],
        "series": [
            {"label": _("Rep"), "data": [_plot(s.rep, True) for s in rep_funnel.steps], "kind": "bar"},
            {"label": _("Team"), "data": [_plot(s.team, True) for s in rep_funnel.steps], "kind": "bar"},
        ],
        "stages": list(funnel.STAGES),
    }
