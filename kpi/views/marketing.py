"""Marketing's page: lead supply against plan, open rate and permission rate, and the funnel of the
month's leads by channel (kpi/selectors/marketing.py). Managers, marketing and ops, as the org board."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts import permissions

from .. import periods
from ..models import Lead
from ..selectors.marketing import FUNNEL_STEPS, marketing_page
from .csv_export import csv_response
from .params import parse_month, wants_csv


@login_required
def marketing(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_view_org(request.user))
    as_of = periods.today()
    month = parse_month(request.GET.get("month"), as_of)
    page = marketing_page(month=month, as_of=as_of)
    labels = dict(Lead.Channel.choices)
    if wants_csv(request):
        return csv_response(
            f"marketing-funnel-{month:%Y-%m}.csv",
            ["channel", *FUNNEL_STEPS, "order_amount"],
            [[f.channel, *(f.counts[s] for s in FUNNEL_STEPS), f.amount] for f in page.funnel],
        )
    rate_rows = list(zip(page.open_rate, page.permission_rate, strict=True))
    return render(
        request,
        "kpi/marketing.html",
        {
            "page": page,
            "month": month,
            "prev": periods.month_start(month - timedelta(days=1)),
            "next": periods.next_period_start(periods.MONTH, month),
            "supply": [(labels[r.channel], r) for r in page.supply],
            "supply_total": (
                sum(r.planned or 0 for r in page.supply) if any(r.planned is not None for r in page.supply) else None,
                sum(r.actual for r in page.supply),
            ),
            "steps": [(s, _step_label(s)) for s in FUNNEL_STEPS],
            "funnel": [(labels[f.channel], f, [(f.counts[s], f.rate(s)) for s in FUNNEL_STEPS]) for f in page.funnel],
            "rate_rows": rate_rows,
            "rates_chart": _rates_chart(rate_rows),
            "funnel_chart": _funnel_chart(page.funnel, labels),
        },
    )


def _step_label(step: str) -> str:
    return str(
        {
            "leads": _("Leads"),
            "touched": _("Touched"),
            "reached": _("Reached the target person"),
            "meetings": _("Meeting set"),
            "qualified": _("Qualified"),
            "won": _("Won"),
        }[step]
    )


def _pct(value):
    return None if value is None else float(value * 100)


def _rates_chart(rows) -> dict:
    return {
        "type": "line",
        "percent": True,
        "labels": [o.period_start.strftime("%Y-%m") for o, _p in rows],
        "series": [
            {"label": _("Open rate"), "data": [_pct(o.value) for o, _p in rows]},
            {"label": _("Permission rate"), "data": [_pct(p.value) for _o, p in rows]},
        ],
    }


def _funnel_chart(funnels, labels) -> dict:
    return {
        "type": "bar",
        "percent": True,
        "labels": [_step_label(s) for s in FUNNEL_STEPS[1:]],
        "series": [
            {"label": str(labels[f.channel]), "data": [_pct(f.rate(s)) for s in FUNNEL_STEPS[1:]], "kind": "bar"}
            for f in funnels
        ],
    }
