"""Formatting of KPI numbers: units, "—" for no value, attainment percentages and status colours."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

from .. import catalog
from ..selectors.boards import status_of

register = template.Library()
NO_VALUE = "—"


def _round(value, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@register.filter
def kpi_number(value, kpi_key: str) -> str:
    if value is None:
        return NO_VALUE
    spec = catalog.get(kpi_key)
    if spec.unit == "percent":
        return f"{_round(Decimal(value) * 100, 1)}%"
    if spec.unit == "per_hour":
        return str(_round(value, 1))
    if spec.unit == "jpy":
        return f"¥{intcomma(int(_round(value, 0)))}"
    if spec.unit == "hours":
        return str(_round(value, 1))
    # People count whole meetings and calls: a target spread to 0.8 a day reads 1 (half up).
    return intcomma(int(_round(value, 0)))


@register.filter
def percent(value) -> str:
    return NO_VALUE if value is None else f"{_round(Decimal(value) * 100, 0)}%"


@register.filter
def percent_number(value) -> str:
    """A rate as the number a percent box takes: 0.4512 -> 45.1."""
    return "" if value is None else format(_round(Decimal(value) * 100, 1).normalize(), "f")


@register.filter
def status(value) -> str:
    return status_of(value)


@register.filter
def kpi_name(kpi_key: str) -> str:
    spec = catalog.get(kpi_key)
    return spec.name_en if (get_language() or "ja").startswith("en") else spec.name_ja


@register.filter
def versions_label(versions: dict) -> str:
    """'connects v1, effective_calls v1+v2' - a period that spans a change lists both."""
    return ", ".join(f"{k} v{'+v'.join(str(n) for n in nums)}" for k, nums in sorted(versions.items()))


@register.filter
def bar_width(value) -> int:
    """Progress bar width in percent, capped at 100."""
    return 0 if value is None else max(0, min(100, int(Decimal(value) * 100)))


@register.simple_tag
def kpi_cells(values) -> str:
    """Target, actual and attainment-against-pace cells for a board row.

    Rendered in Python: a 20-rep board has ~420 cells, and as template nodes they were half the page time.
    Outcome KPIs name the meetings still waiting for FS; while none of the cohort is judged the
    attainment reads "pending", never 0%.
    """
    against_pace, pending = gettext("Against pace"), gettext("pending")
    return format_html_join(
        "",
        '<td class="num muted">{}</td><td class="num">{}{}</td><td class="num att status-{}" title="{}: {}">{}</td>',
        (
            (
                kpi_number(v.target, v.kpi),
                pending if v.value is None and v.is_pending else kpi_number(v.value, v.kpi),
                format_html(' <small class="pending">+{} {}</small>', v.pending, pending) if v.pending else "",
                "pending" if v.is_pending else status_of(v.pace_attainment),
                against_pace,
                kpi_number(v.matured_expected, v.kpi),
                pending if v.is_pending else percent(v.pace_attainment),
            )
            for v in values
        ),
    )
