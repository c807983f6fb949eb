"""Rendered boards cached per data version.

A board (the team board's table, leaders, wins and red count; the organisation table) is rendered
once per (team or organisation, granularity, period start, as-of day, language, data version) and
served from Django's cache until something it shows could have changed.

The data version lives in the database (`BoardVersion`), not in the cache: web workers and the Celery
worker each may have their own cache, but they all read the same tokens. Every writer replaces the
tokens it affects inside its own transaction (model signals here, `rollups_changed` for the rollups),
so a new token becomes visible exactly when the new data does. A page reads its tokens before it reads
any data, so what it caches under a token is never older than that token.

Keys: "team:<id>" (that team's board), "org" (the organisation board; every bump includes it, since
the organisation sums every team), "all" (every board: holidays, definitions, people, teams), "targets" (the
cached team targets: every target write).
Tokens are random, not counters, so a database restored from a backup can never meet a cache entry
written for a later state under the same token.
"""

import secrets
from collections.abc import Callable, Iterable
from datetime import date

from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from accounts.models import Department, Team, User

from .. import periods, signals
from ..models import CompanyHoliday, DefinitionVersion, KpiDefinition, Lead, Meeting, Target
from ..selectors.board_versions import ALL, ORG, TARGETS, board_tokens, cached

# Part of every cache key: change it when the cached markup changes, so a deploy never serves the
# previous release's HTML from a shared cache.
MARKUP = 2
# The as-of day is in the key, so an entry is useless after a day anyway.
TIMEOUT = 24 * 60 * 60


def team_key(team_id: int) -> str:
    return f"team:{team_id}"


# --- writers --------------------------------------------------------------------------------------


def bump(keys: Iterable[str] = ()) -> None:
    """Give the organisation board and `keys` new tokens (inside the caller's transaction, if any).

    "org" is always written first: every transaction that bumps anything takes that row's lock before
    any other version row, so two writers can never wait on each other's version rows (no deadlock).
    """
    ordered = [ORG, *sorted(set(keys) - {ORG})]
    token = secrets.randbits(62)
    values = ", ".join(["(%s, %s)"] * len(ordered))
    params = [p for key in ordered for p in (key, token)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO kpi_boardversion (key, token) VALUES {values} "
            "ON CONFLICT (key) DO UPDATE SET token = excluded.token",
            params,
        )


def bump_all() -> None:
    bump([ALL])


def bump_teams(team_ids: Iterable[int | None]) -> None:
    bump(team_key(t) for t in team_ids if t)


# --- readers --------------------------------------------------------------------------------------


tokens = board_tokens


def team_board_html(
    *, team_id: int, granularity: str, first: date, as_of: date, render: Callable[[], str], variant: str = ""
) -> str:
    """`variant` names what else the markup depends on (the board view's columns and order)."""
    return _cached(
        f"team:{team_id}:{variant}",
        [team_key(team_id), ALL],
        granularity=granularity,
        first=first,
        as_of=as_of,
        render=render,
    )


def org_board_html(*, granularity: str, first: date, as_of: date, render: Callable[[], str], variant: str = "") -> str:
    """`variant` names the board view and which team boards the markup links to (viewers who may open
    different ones get different markup)."""
    return _cached(f"org:{variant}", [ORG], granularity=granularity, first=first, as_of=as_of, render=render)


def rep_page_html(*, rep_id: int, team_id: int | None, key: str, as_of: date, render: Callable[[], str]) -> str:
    """The rep page's data part: it shows the rep's and the team's rollups, so it follows the team's token."""
    keys = [team_key(team_id), ALL] if team_id else [ORG, ALL]
    return _cached(f"rep:{rep_id}:{key}", keys, granularity="", first=as_of, as_of=as_of, render=render)


def today_html(*, rep_id: int, team_id: int | None, day: date, render: Callable[[], str]) -> str:
    """The today page's numbers (day, week and month cards, the month's calls by day): the rep's
    rollups and targets, so they follow the team's token like the rep page."""
    keys = [team_key(team_id), ALL] if team_id else [ORG, ALL]
    return _cached(f"today:{rep_id}", keys, granularity=periods.DAY, first=day, as_of=day, render=render)


def _cached(board: str, keys: list[str], *, granularity: str, first: date, as_of: date, render) -> SafeString:
    """The board's HTML from the cache, or rendered by `render()` and stored.

    Callers check permissions before calling: the cache never decides who may see a board. A failing
    cache (Redis down) costs a render per request, never the page.
    """
    version = "-".join(str(t) for t in tokens(keys))
    # Today's pace moves with the clock (kpi/periods.py pace_moment): a current period's board is kept per step.
    # The rep page (no granularity) always shows the current period.
    current = not granularity or periods.period_start(granularity, as_of) == first
    pace = periods.pace_moment().strftime("%H%M") if current else "-"
    key = ":".join(
        ["board", str(MARKUP), board, granularity, first.isoformat(), as_of.isoformat(), pace, get_language(), version]
    )
    html = cached(key, lambda: str(render()), TIMEOUT)
    return mark_safe(html)  # rendered by our own templates, escaped there


# --- what changes a board: receivers connected in KpiConfig.ready() -------------------------------
#
# Every writer of something a board shows goes through one of these. Writers that bypass model signals
# (bulk_create, QuerySet.update, raw SQL) are covered by the rollup refresh that follows them (events)
# or call bump() themselves.

# Saves that change nothing a board shows (a login stamps last_login).
_USER_FIELDS_NOT_SHOWN = frozenset({"last_login", "password"})


def _rollups_changed(sender, team_ids=None, **kwargs) -> None:
    if team_ids is None:
        bump_all()
    else:
        bump_teams(team_ids)


def bump_target_scopes(scopes: Iterable[tuple[str, int]]) -> None:
    """New tokens for the boards that show targets of these (scope, scope id) pairs, in one write: the
    teams named, the teams of the reps named, and the organisation board (always bumped)."""

    scopes = set(scopes)
    team_ids = {scope_id for scope, scope_id in scopes if scope == "team"}
    rep_ids = {scope_id for scope, scope_id in scopes if scope == "rep"}
    if rep_ids:
        team_ids.update(User.objects.filter(pk__in=rep_ids, team__isnull=False).values_list("team_id", flat=True))
    bump([TARGETS, *(team_key(t) for t in sorted(team_ids))])


def _target_changed(sender, instance, **kwargs) -> None:
    bump_target_scopes([(instance.scope, instance.scope_id)])


def _meeting_changed(sender, instance, **kwargs) -> None:
    """Wins list meetings live on the team board; the rollup refresh that follows may run later."""

    bump_teams(User.objects.filter(pk=instance.rep_id).values_list("team_id", flat=True))


def _user_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= _USER_FIELDS_NOT_SHOWN:
        return
    bump_all()


def _lead_changed(sender, instance, created=False, **kwargs) -> None:
    # A new lead is on no board yet (a meeting that names it triggers its own refresh).
    if not created:
        bump_all()


def _everything_changed(sender, **kwargs) -> None:
    bump_all()


def _managers_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        bump_all()


def connect() -> None:

    signals.rollups_changed.connect(_rollups_changed, dispatch_uid="board_cache.rollups")
    for model, receiver in (
        (Target, _target_changed),
        (Meeting, _meeting_changed),
        (User, _user_changed),
        (Lead, _lead_changed),
        (CompanyHoliday, _everything_changed),
        (DefinitionVersion, _everything_changed),
        (KpiDefinition, _everything_changed),
        (Team, _everything_changed),
        (Department, _everything_changed),
    ):
        uid = f"board_cache.{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(_managers_changed, sender=Team.managers.through, dispatch_uid="board_cache.managers")
