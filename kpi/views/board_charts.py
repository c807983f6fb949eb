"""What the boards' templates need besides the numbers: the view picker, the sortable column heads,
and the charts' data (drawn by static/js/charts.js from json_script, each next to its number table)."""

from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .. import catalog
from ..selectors.board_columns import CUSTOM_VIEW, VIEWS, BoardPage, BurnUp, Columns, TeamTrend
from ..templatetags.kpi_format import kpi_name

VIEW_LABELS = {
    "standard": gettext_lazy("Standard"),
    "activity": gettext_lazy("Activity"),
    "conversion": gettext_lazy("Conversion"),
    "approach": gettext_lazy("Approach"),
    "outcome": pgettext_lazy("board view", "Outcome"),
    "marketing": gettext_lazy("Marketing"),
    CUSTOM_VIEW: gettext_lazy("Custom"),
}


def columns_query(columns: Columns) -> dict:
    """The query-string part that keeps a board's view when its period changes."""
    query = {"k": list(columns.kpis)} if columns.view == CUSTOM_VIEW else {"v": columns.view}
    if columns.sort:
        query |= {"sort": columns.sort, "dir": "desc" if columns.descending else "asc"}
    return query


def picker_context(request, columns: Columns) -> dict:
    """The view picker: each named view, and every catalogue KPI for a custom set (ticked when shown)."""
    return {
        "columns": columns,
        "views": [(key, VIEW_LABELS[key]) for key in VIEWS],
        "view_label": VIEW_LABELS[columns.view],
        "catalogue": [(k, kpi_name(k), k in columns.kpis) for k in catalog.REGISTRY],
        "keep": urlencode(columns_query(columns), doseq=True),
    }


def column_heads(page: BoardPage, granularity: str, first) -> list[dict]:
    """Each column's name, definition versions, and links that sort by its actual and its attainment
    (a second click on the active sort reverses it)."""
    columns = page.columns
    base = {"g": granularity, "d": first.isoformat(), **columns_query(columns)}
    heads = []
    for kpi, versions in zip(columns.kpis, page.versions, strict=True):
        links = {}
        for suffix in ("", ".pace"):
            sort = kpi + suffix
            active = columns.sort == sort
            direction = "asc" if active and columns.descending else "desc"
            links[suffix or "actual"] = {
                "href": "?" + urlencode({**base, "sort": sort, "dir": direction}, doseq=True),
                "active": active,
                "aria": "descending" if active and columns.descending else ("ascending" if active else "none"),
            }
        heads.append(
            {"kpi": kpi, "name": kpi_name(kpi), "versions": versions, "actual": links["actual"], "pace": links[".pace"]}
        )
    return heads


def _number(value):
    return None if value is None else float(value)


def burn_chart(burn: BurnUp) -> dict:
    return {
        "type": "burnup",
        "labels": [d.strftime("%m/%d") for d in burn.days],
        "series": [
            {"label": _("Actual (cumulative)"), "data": burn.actual},
            {"label": _("Target pace"), "data": [_number(v) for v in burn.target]},
        ],
    }


def trend_chart(trend: TeamTrend) -> dict:
    percent = catalog.get(trend.kpi).unit == "percent"
    return {
        "type": "line",
        "percent": percent,
        "labels": [w.strftime("%m/%d") for w in trend.weeks],
        "series": [
            {
                "label": team.name,
                "data": [None if v is None else float(v * 100 if percent else v) for v in values],
            }
            for team, values in trend.series
        ],
    }
