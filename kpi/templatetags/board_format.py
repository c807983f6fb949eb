"""Board cells with the change against the previous period, and the rep page's heatmap colours."""

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from .. import catalog
from ..selectors.boards import status_of
from .kpi_format import NO_VALUE, _round, kpi_number, percent

register = template.Library()


@register.filter
def delta_text(change, kpi_key: str) -> str:
    """'+3', '−1.2pt' (percentage points for rates), '±0'; '—' when either period has no value."""
    if change is None:
        return NO_VALUE
    if not change:
        return "±0"
    sign = "+" if change > 0 else "−"
    unit = catalog.get(kpi_key).unit
    if unit == "percent":
        return f"{sign}{abs(_round(Decimal(change) * 100, 1))}pt"
    magnitude = kpi_number(abs(change), kpi_key)
    return f"{sign}{magnitude}"


@register.simple_tag
def board_cells(values, deltas) -> str:
    """Target, actual with its change against the previous period, and attainment against pace.

    Outcome KPIs name the meetings still waiting for FS; while none of the cohort is judged the
    attainment reads "pending", never 0%.
    """
    against_pace, pending = gettext("Against pace"), gettext("pending")
    versus = gettext("vs the previous period at the same point")
    return format_html_join(
        "",
        '<td class="num muted">{}</td><td class="num">{}{}<small class="delta delta-{}" title="{}">{}</small></td>'
        '<td class="num att status-{}" title="{}: {}">{}</td>',
        (
            (
                kpi_number(v.target, v.kpi),
                pending if v.value is None and v.is_pending else kpi_number(v.value, v.kpi),
                format_html(' <small class="pending">+{} {}</small>', v.pending, pending) if v.pending else "",
                d.direction,
                versus,
                delta_text(d.change, v.kpi),
                "pending" if v.is_pending else status_of(v.pace_attainment),
                against_pace,
                kpi_number(v.matured_expected, v.kpi),
                pending if v.is_pending else percent(v.pace_attainment),
            )
            for v, d in zip(values, deltas, strict=True)
        ),
    )


@register.filter
def heat_level(rate) -> int:
    """0-5 colour step of a connect rate (None: too few calls to colour)."""
    if rate is None:
        return 0
    return min(5, 1 + int(Decimal(rate) * 10))


@register.simple_tag
def walkback_chart(stage_rows) -> dict:
    """The planner's walk back from the goal to calls as a bar per stage, goal first (log scale: calls
    are hundreds of times the orders). Drawn by static/js/charts.js next to the stage table."""
    from .kpi_format import kpi_name

    rows = list(reversed(stage_rows or []))
    return {
        "type": "bar",
        "horizontal": True,
        "log": True,
        "labels": [kpi_name(r["stage"]) for r in rows],
        "series": [{"label": gettext("Required"), "data": [r["required"] for r in rows], "kind": "bar"}],
    }


@register.simple_tag
def picker_checkboxes(catalogue) -> str:
    """The view picker's KPI checkboxes, rendered in Python: as template nodes the 26 of them were a
    third of a cached board's response time."""
    return format_html_join(
        "",
        '<label><input type="checkbox" name="k" value="{}"{}> {}</label>',
        ((key, " checked" if on else "", name) for key, name, on in catalogue),
    )


@register.simple_tag
def kpi_options(catalogue, selected: str) -> str:
    """<option>s of every catalogue KPI for a select, `selected` chosen (rendered in Python, as above)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((key, " selected" if key == selected else "", name) for key, name in catalogue),
    )
