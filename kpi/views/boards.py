"""The rep's today page, the manager's team board, and job health. Thin: selectors do the reading;
the boards' HTML is cached per data version (kpi/services/board_cache.py), after the permission check."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from accounts import permissions
from accounts.models import User

from .. import catalog, periods
from ..selectors.boards import leaders, team_wins
from ..selectors.boards import org_board as org_board_rows
from ..selectors.boards import team_board as team_board_rows
from ..services import board_cache
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


@login_required
def team_board(request: HttpRequest, team_id: int) -> HttpResponse:
    # The permission check, the team and the team switcher in one query.
    team, teams = permissions.team_among_visible(request.user, team_id)
    granularity, day, as_of = period_params(request)
    if request.GET.get("format") == "csv":
        rows, totals = team_board_rows(team=team, granularity=granularity, day=day, as_of=as_of)
        lines = [(r.rep.email, r.values) for r in rows] + [(team.name, totals)]
        return board_csv(f"team-{team.pk}-{granularity}-{day}.csv", "rep", catalog.BOARD_KPIS, lines)

    def render_board() -> str:
        rows, totals = team_board_rows(team=team, granularity=granularity, day=day, as_of=as_of)
        return render_to_string(
            "kpi/partials/team_board_body.html",
            {
                "rows": rows,
                "totals": totals,
                "kpis": catalog.BOARD_KPIS,
                "wins": team_wins(team=team, first=day, last=periods.period_end(granularity, day)),
                "leaders": leaders(rows, "meetings"),
                "red_count": sum(1 for r in rows if r.status == "red"),
            },
        )

    board = board_cache.team_board_html(
        team_id=team.pk, granularity=granularity, first=day, as_of=as_of, render=render_board
    )
    return render(
        request,
        "kpi/team_board.html",
        {"team": team, "teams": teams, "board": board, **period_context(granularity, day)},
    )


class _Everything:
    def __contains__(self, item) -> bool:
        return True


@login_required
def org_board(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_view_org(request.user))
    granularity, day, as_of = period_params(request)
    if request.GET.get("format") == "csv":
        rows, totals = org_board_rows(granularity=granularity, day=day, as_of=as_of)
        lines = [(r.team.name, r.values) for r in rows] + [("organisation", totals)]
        return board_csv(f"org-{granularity}-{day}.csv", "team", catalog.BOARD_KPIS, lines)

    # Team names link only to the boards this viewer may open (marketing: none; a manager: their own).
    linkable = (
        _Everything()
        if request.user.is_ops
        else set(permissions.teams_visible_to(request.user).values_list("pk", flat=True))
    )

    def render_board() -> str:
        rows, totals = org_board_rows(granularity=granularity, day=day, as_of=as_of)
        return render_to_string(
            "kpi/partials/org_board_table.html",
            {
                "rows": rows,
                "totals": totals,
                "kpis": catalog.BOARD_KPIS,
                "granularity": granularity,
                "first": day,
                "linkable": linkable,
            },
        )

    linked = "all" if request.user.is_ops else ",".join(str(pk) for pk in sorted(linkable))
    board = board_cache.org_board_html(
        granularity=granularity, first=day, as_of=as_of, render=render_board, linked=f":{linked}"
    )
    return render(request, "kpi/org_board.html", {"board": board, **period_context(granularity, day)})
