"""The rep's today page, the manager's team board, and job health. Thin: selectors do the reading;
the boards' HTML is cached per data version (kpi/services/board_cache.py), after the permission check."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from accounts import permissions
from accounts.models import User

from .. import catalog, periods
from .. import permissions as kpi_permissions
from ..forms.boards import BoardColumnsForm
from ..selectors.board_columns import board_page, burn_up, computed_kpis, team_trend
from ..selectors.boards import leaders, team_wins
from ..selectors.boards import org_board as org_board_rows
from ..selectors.boards import team_board as team_board_rows
from ..selectors.calendar import Calendar
from ..selectors.definitions import approved_timeline
from ..services import board_cache
from .board_charts import burn_chart, column_heads, picker_context, trend_chart
from .csv_export import board_csv
from .params import period_context, period_params

# Where each role starts. Managers and ops start on their first team's board when they have one.
LANDING = {User.Role.REP: "today", User.Role.FS: "fs_meetings", User.Role.MARKETING: "org_board"}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role in LANDING and not user.is_ops:
        return redirect(LANDING[user.role])
    team = permissions.teams_visible_to(user).first()
    if team is not None:
        return redirect("team_board", team_id=team.pk)
    return redirect("org_board" if permissions.can_view_org(user) else "kpi_sheet")


@login_required
def my_team(request: HttpRequest) -> HttpResponse:
    """The signed-in user's (first) team board."""
    team = permissions.teams_visible_to(request.user).first()
    permissions.require(team is not None)
    return redirect("team_board", team_id=team.pk)


def board_calendar(granularity: str, first) -> Calendar:
    """Business days of the previous period and this one (for Δ and the burn-up), one query."""
    previous = periods.period_start(granularity, first - timedelta(days=1))
    return Calendar(min(previous, first - timedelta(days=7)), periods.period_end(granularity, first))


@login_required
def team_board(request: HttpRequest, team_id: int) -> HttpResponse:
    # The permission check, the team and the team switcher in one query.
    team, teams = permissions.team_among_visible(request.user, team_id)
    granularity, day, as_of = period_params(request)
    columns = BoardColumnsForm(request.GET).columns()
    kpis = computed_kpis(columns)
    rep_links = kpi_permissions.board_links_to_rep_pages(request.user, team, teams)
    if request.GET.get("format") == "csv":
        rows, totals = team_board_rows(team=team, granularity=granularity, day=day, as_of=as_of, kpis=kpis)
        n = len(columns.kpis)
        lines = [(r.rep.email, r.values[:n]) for r in rows] + [(team.name, totals[:n])]
        return board_csv(f"team-{team.pk}-{granularity}-{day}.csv", "rep", columns.kpis, lines)

    def render_board() -> str:
        rows, totals = team_board_rows(team=team, granularity=granularity, day=day, as_of=as_of, kpis=kpis)
        last = periods.period_end(granularity, day)
        calendar = board_calendar(granularity, day)
        page = board_page(
            columns=columns,
            rows=rows,
            totals=totals,
            scope="rep",
            ids=[r.rep.pk for r in rows],
            total_scope="team",
            total_id=team.pk,
            granularity=granularity,
            first=day,
            as_of=as_of,
            timeline=approved_timeline(),
            calendar=calendar,
        )
        chart_kpi = next((k for k in columns.kpis if catalog.get(k).kind == catalog.COUNT), "calls")
        total = next(v for v in totals if v.kpi == chart_kpi) if chart_kpi in kpis else None
        burn = burn_up(
            kpi=chart_kpi,
            scope="team",
            scope_id=team.pk,
            first=day,
            last=last,
            as_of=as_of,
            target=total.target if total else None,
            calendar=calendar,
        )
        return render_to_string(
            "kpi/partials/team_board_body.html",
            {
                "page": page,
                "rows": rows,
                "totals": page.totals,
                "kpis": columns.kpis,
                "granularity": granularity,
                "first": day,
                "wins": team_wins(team=team, first=day, last=last),
                "leaders": leaders(rows, "meetings", kpis=kpis),
                "red_count": sum(1 for r in rows if r.status == "red"),
                "burn": burn,
                "burn_chart": burn_chart(burn),
                "burn_rows": list(zip(burn.days, burn.actual, burn.target, strict=True)),
                "heads": column_heads(page, granularity, day),
                "rep_links": rep_links,
            },
        )

    board = board_cache.team_board_html(
        team_id=team.pk,
        granularity=granularity,
        first=day,
        as_of=as_of,
        render=render_board,
        variant=f"{columns.cache_variant}:{'links' if rep_links else 'plain'}",
    )
    return render(
        request,
        "kpi/team_board.html",
        {
            "team": team,
            "teams": teams,
            "board": board,
            **picker_context(request, columns),
            **period_context(granularity, day),
        },
    )


class _Everything:
    def __contains__(self, item) -> bool:
        return True


@login_required
def org_board(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_view_org(request.user))
    granularity, day, as_of = period_params(request)
    columns = BoardColumnsForm(request.GET).columns()
    kpis = computed_kpis(columns)
    if request.GET.get("format") == "csv":
        rows, totals = org_board_rows(granularity=granularity, day=day, as_of=as_of, kpis=kpis)
        n = len(columns.kpis)
        lines = [(r.team.name, r.values[:n]) for r in rows] + [("organisation", totals[:n])]
        return board_csv(f"org-{granularity}-{day}.csv", "team", columns.kpis, lines)

    # Team names link only to the boards this viewer may open (marketing: none; a manager: their own).
    linkable = (
        _Everything()
        if request.user.is_ops
        else set(permissions.teams_visible_to(request.user).values_list("pk", flat=True))
    )

    def render_board() -> str:
        rows, totals = org_board_rows(granularity=granularity, day=day, as_of=as_of, kpis=kpis)
        timeline = approved_timeline()
        page = board_page(
            columns=columns,
            rows=rows,
            totals=totals,
            scope="team",
            ids=[r.team.pk for r in rows],
            total_scope="org",
            total_id=0,
            granularity=granularity,
            first=day,
            as_of=as_of,
            timeline=timeline,
            calendar=board_calendar(granularity, day),
        )
        trend = team_trend(kpi=columns.kpis[0], teams=[r.team for r in rows], as_of=as_of, timeline=timeline)
        return render_to_string(
            "kpi/partials/org_board_table.html",
            {
                "page": page,
                "rows": rows,
                "totals": page.totals,
                "kpis": columns.kpis,
                "granularity": granularity,
                "first": day,
                "trend": trend,
                "trend_chart": trend_chart(trend),
                "heads": column_heads(page, granularity, day),
                "linkable": linkable,
            },
        )

    linked = "all" if request.user.is_ops else ",".join(str(pk) for pk in sorted(linkable))
    board = board_cache.org_board_html(
        granularity=granularity,
        first=day,
        as_of=as_of,
        render=render_board,
        variant=f"{columns.cache_variant}:{linked}",
    )
    return render(
        request,
        "kpi/org_board.html",
        {"board": board, **picker_context(request, columns), **period_context(granularity, day)},
    )
