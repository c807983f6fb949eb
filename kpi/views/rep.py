"""The rep page: for the rep's managers, ops and the rep themself (kpi.permissions.rep_for_user; 404
for everyone else). The trend, funnel and heatmap are cached per data version like the boards; the
review items and the call list are read per request."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from .. import catalog, funnel, periods
from .. import permissions as kpi_permissions
from ..forms.rep import CallListForm, RepTrendForm
from ..selectors.rep import MIN_HEAT_CALLS, rep_calls, rep_page, rep_review_items
from ..services import board_cache
from ..templatetags.kpi_format import kpi_name
from .csv_export import csv_response
from .funnel_rows import STEP_LABELS
from .params import wants_csv
from .rep_charts import funnel_chart, trend_chart

WEEKDAYS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
CALLS_PER_PAGE = 50


@login_required
def my_rep_page(request: HttpRequest) -> HttpResponse:
    """A rep's own page, from the header (other roles have no page of their own: 404)."""
    return redirect("rep_page", rep_id=kpi_permissions.rep_for_user(request.user, request.user.pk).pk)


@login_required
def rep_detail(request: HttpRequest, rep_id: int) -> HttpResponse:
    rep = kpi_permissions.rep_for_user(request.user, rep_id)
    kpi, granularity = RepTrendForm(request.GET).choice()
    as_of = periods.today()

    def render_data() -> str:
        page = rep_page(rep=rep, kpi=kpi, granularity=granularity, as_of=as_of)
        return render_to_string(
            "kpi/partials/rep_data.html",
            {
                "page": page,
                "trend_chart": trend_chart(page.trend, kpi),
                "funnel_chart": funnel_chart(page.funnel),
                "steps": [(STEP_LABELS[s.key], s) for s in page.funnel.steps],
                "weekdays": WEEKDAYS,
                "heat": [(WEEKDAYS[w], cells) for w, cells in page.heat],
                "min_heat_calls": MIN_HEAT_CALLS,
            },
        )

    data = board_cache.rep_page_html(
        rep_id=rep.pk, team_id=rep.team_id, key=f"{kpi}:{granularity}", as_of=as_of, render=render_data
    )
    return render(
        request,
        "kpi/rep.html",
        {
            "rep": rep,
            "data": data,
            "kpi": kpi,
            "granularity": granularity,
            "catalogue": [(k, kpi_name(k)) for k in catalog.REGISTRY],
            "items": rep_review_items(viewer=request.user, rep=rep),
            "calls": rep_calls(rep=rep)[:10],
            "stages": funnel.STAGES,
        },
    )


@login_required
def rep_call_list(request: HttpRequest, rep_id: int) -> HttpResponse:
    rep = kpi_permissions.rep_for_user(request.user, rep_id)
    form = CallListForm(request.GET)
    calls = rep_calls(rep=rep, **form.filters())
    if wants_csv(request):
        return csv_response(
            f"calls-{rep.pk}.csv",
            ["external_id", "started_at_local", "duration_seconds", "direction", "result", "lead", "company", "note"],
            (
                [
                    c.external_id,
                    periods.local_datetime(c.started_at).isoformat(timespec="seconds"),
                    c.duration_seconds,
                    c.direction,
                    c.result,
                    c.lead_external_id,
                    c.lead.company if c.lead else "",
                    c.note,
                ]
                for c in calls.iterator(chunk_size=2000)
            ),
        )
    page = Paginator(calls, CALLS_PER_PAGE).get_page(form.page_number())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "kpi/rep_calls.html",
        {"rep": rep, "form": form, "page": page, "query": query.urlencode()},
    )
