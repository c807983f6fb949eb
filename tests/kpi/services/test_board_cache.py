"""Boards are served from a cache, yet never show a number older than the data (kpi/services/board_cache.py).

Every test first looks at a board (which caches it), changes something the board shows through the
path a user would take, and looks again: without the invalidation the second look is the cached first.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from kpi import signals
from kpi.models import BoardVersion, CompanyHoliday, DefinitionVersion, Target
from kpi.selectors import board_versions
from kpi.services import board_cache
from kpi.services.integrations import integration_issue_token
from kpi.services.rollups import rollups_rebuild, rollups_refresh_rep_days
from tests.factories import CallFactory, MeetingFactory, TeamFactory, UserFactory, tokyo
from tests.kpi.services.helpers import CALLS, actual, row_cells

pytestmark = pytest.mark.django_db

NOV_1 = date(2026, 11, 1)


@pytest.fixture(autouse=True)
def now(time_machine):
    # Friday 2026-11-20: November has 19 business days, 14 of them up to today.
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))


@pytest.fixture
def board(client, manager, team_a):
    """GET the team board as the manager; returns the page's HTML."""

    def get(team=team_a, **params) -> str:
        client.force_login(manager)
        response = client.get(reverse("team_board", args=[team.pk]), params)
        assert response.status_code == 200
        return response.content.decode()

    return get


def target(html: str, rep: User, kpi_index: int = CALLS) -> str:
    return row_cells(html, "rep", rep.email)[3 * kpi_index]


def pace_title(html: str, rep: User, kpi_index: int = CALLS) -> str:
    cell = re.findall(r"<td ([^>]*)>", re.search(rf'data-rep="{rep.email}">(.*?)</tr>', html, re.S).group(1))
    return re.search(r'title="([^"]*)"', cell[3 * kpi_index + 2]).group(1)


def calls_of(rep, n: int, day: int = 20) -> None:
    for minute in range(n):
        CallFactory(rep=rep, started_at=tokyo(2026, 11, day, 10, minute))


def _all_tokens(team_id: int) -> tuple:
    return board_cache.tokens([board_cache.team_key(team_id), board_cache.ORG, board_cache.ALL])


def test_a_quick_logged_call_shows_on_the_cached_board(
    client, board, rep, manager, team_a, django_capture_on_commit_callbacks
):
    calls_of(rep, 2)
    rollups_rebuild()
    assert actual(board(), rep) == "2"
    assert actual(board(), rep) == "2"  # served from the cache
    client.force_login(rep)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quick_log"), {"result": "connected", "duration_seconds": "150"})
    assert actual(board(), rep) == "3"


def test_an_ingested_call_shows_on_the_cached_board(board, rep, ops, django_capture_on_commit_callbacks):
    calls_of(rep, 2)
    rollups_rebuild()
    assert actual(board(), rep) == "2"
    _, token = integration_issue_token(name="MiiTel", source="miitel", created_by=ops)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    record = {
        "external_id": "x-1",
        "rep_email": rep.email,
        "started_at": "2026-11-20T11:00:00+09:00",
        "result": "connected",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            reverse("api-ingest-calls"), {"records": [{**record, "duration_seconds": 5}]}, format="json"
        )
    assert response.json()["created"] == 1
    assert actual(board(), rep) == "3"


def test_a_rollup_refresh_shows_on_team_and_organisation_boards(client, board, rep, ops, team_a):
    calls_of(rep, 2)
    rollups_rebuild()
    assert actual(board(), rep) == "2"
    client.force_login(ops)
    org = client.get(reverse("org_board")).content.decode()
    assert row_cells(org, "team", team_a.pk)[3 * CALLS + 1].split("<small")[0] == "2"
    calls_of(rep, 4, day=19)
    rollups_refresh_rep_days(rep_days=[(rep.pk, date(2026, 11, 19))])
    org = client.get(reverse("org_board")).content.decode()
    assert row_cells(org, "team", team_a.pk)[3 * CALLS + 1].split("<small")[0] == "6"
    assert actual(board(), rep) == "6"


def test_a_refresh_of_one_team_keeps_the_other_teams_board_cached(board, rep, outsider, team_b, ops, client):
    """The point of per-team versions: a busy team's calls do not make every other board cold."""
    rollups_rebuild()
    board()
    before = board_cache.tokens([board_cache.team_key(team_b.pk), board_cache.ALL])
    calls_of(rep, 1)
    rollups_refresh_rep_days(rep_days=[(rep.pk, date(2026, 11, 20))])
    assert board_cache.tokens([board_cache.team_key(team_b.pk), board_cache.ALL]) == before


def test_a_target_set_on_the_targets_page_shows_on_the_board(client, board, manager, rep, team_a):
    calls_of(rep, 2)
    rollups_rebuild()
    assert target(board(), rep) == "—"
    client.post(reverse("targets"), {"team": team_a.pk, "month": "2026-11", f"v_rep_{rep.pk}_calls": "380"})
    assert target(board(), rep) == "380"
    Target.objects.filter(scope_id=rep.pk).delete()
    assert target(board(), rep) == "—"


def test_a_team_target_shows_in_the_team_totals(board, team_a, rep):
    rollups_rebuild()
    assert "999" not in re.search(r"<tfoot>(.*?)</tfoot>", board(), re.S).group(1)
    Target.objects.create(
        kpi_key="calls", scope="team", scope_id=team_a.pk, granularity="month", period_start=NOV_1, value=999
    )
    assert "999" in re.search(r"<tfoot>(.*?)</tfoot>", board(), re.S).group(1)


def test_a_company_holiday_changes_the_pace_on_the_board(client, board, rep, ops):
    """A 38-call month target over 19 business days: pace 28 by the 20th; closing the 16th leaves 18
    days, 13 of them by the 20th: 38 / 18 x 13 = 27.4, shown as a whole number of calls: 27."""
    calls_of(rep, 2)
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=NOV_1, value=38
    )
    rollups_rebuild()
    assert pace_title(board(), rep).endswith(": 28")
    client.force_login(ops)
    client.post("/holidays/", {"date": "2026-11-16", "name": "創立記念日"})
    assert pace_title(board(), rep).endswith(": 27")


def test_a_renamed_rep_and_a_rep_who_left_show_on_the_board(board, rep, teammate):
    rollups_rebuild()
    assert "佐藤 花子" in board()
    rep.name = "佐藤 花"
    rep.save()
    html = board()
    assert "佐藤 花<" in html and "佐藤 花子" not in html
    teammate.is_active = False
    teammate.save(update_fields=["is_active"])
    assert f'data-rep="{teammate.email}"' not in board()


def test_an_approved_definition_version_shows_on_the_board(board, rep):
    """The legend names the definition versions behind the numbers; a version approved mid-month
    changes it at once (the backfill of the numbers follows as a rollup rebuild)."""
    rollups_rebuild()
    assert "calls v1\n" in board()
    v1 = DefinitionVersion.objects.get(definition__key="calls", number=1)
    DefinitionVersion.objects.create(
        definition=v1.definition,
        number=2,
        params=v1.params,
        effective_from=date(2026, 11, 10),
        status=DefinitionVersion.Status.APPROVED,
    )
    assert "calls v1+v2\n" in board()


def test_a_renamed_team_shows_on_the_organisation_board(client, ops, team_a):
    rollups_rebuild()
    client.force_login(ops)
    assert "東京第1チーム" in client.get(reverse("org_board")).content.decode()
    team_a.name = "東京第一チーム"
    team_a.save()
    assert "東京第一チーム" in client.get(reverse("org_board")).content.decode()


def test_a_won_meeting_shows_in_shared_wins(board, rep):
    rollups_rebuild()
    assert "¥1,200,000" not in board()
    meeting = MeetingFactory(rep=rep, set_at=tokyo(2026, 11, 18, 15, 0))
    meeting.status, meeting.amount = "won", Decimal(1_200_000)
    meeting.save()  # an FS update; the rollup refresh that follows may run later on a worker
    assert "¥1,200,000" in board()


def test_japanese_and_english_boards_are_cached_separately(client, board, rep):
    rollups_rebuild()
    assert "架電数" in board()
    client.cookies["django_language"] = "en"
    english = board()
    assert "Calls" in english and "架電数" not in english
    assert "reps below 70% of target pace" in english or "rep below 70% of target pace" in english
    client.cookies["django_language"] = "ja"
    assert "架電数" in board()


def test_periods_and_days_are_cached_separately(board, rep, time_machine):
    calls_of(rep, 2)
    calls_of(rep, 5, day=19)
    rollups_rebuild()
    assert actual(board(g="month"), rep) == "7"
    assert actual(board(g="day"), rep) == "2"
    assert actual(board(g="day", d="2026-11-19"), rep) == "5"


def test_pace_moves_with_the_day_whatever_the_cache(board, rep, time_machine):
    """38 calls in November: pace 28 on Friday the 20th; Monday the 23rd is a public holiday, so 30 by
    Tuesday the 24th (15 of 19 business days)."""
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=NOV_1, value=38
    )
    rollups_rebuild()
    assert pace_title(board(), rep).endswith(": 28")
    time_machine.move_to(tokyo(2026, 11, 24, 18, 0))
    assert pace_title(board(), rep).endswith(": 30")


def test_a_cached_board_is_never_shown_for_another_team(board, rep, outsider, team_b, manager):
    calls_of(rep, 2)
    rollups_rebuild()
    team_b.managers.add(manager)
    a = board()
    b = board(team=team_b)
    assert f'data-rep="{rep.email}"' in a and f'data-rep="{outsider.email}"' not in a
    assert f'data-rep="{outsider.email}"' in b and f'data-rep="{rep.email}"' not in b


def test_permission_is_checked_before_the_cache(client, board, team_a, team_b, outsider, marketer):
    rollups_rebuild()
    board()  # cached for team A
    for user in (outsider, marketer):
        client.force_login(user)
        assert client.get(reverse("team_board", args=[team_a.pk])).status_code == 403
    assert client.get(reverse("team_board", args=[987654])).status_code == 404
    client.force_login(UserFactory(role=User.Role.FS))
    assert client.get(reverse("org_board")).status_code == 403


def test_a_manager_removed_from_a_team_loses_its_cached_board(client, board, manager, team_a):
    rollups_rebuild()
    board()
    team_a.managers.remove(manager)
    assert client.get(reverse("team_board", args=[team_a.pk])).status_code == 403


def test_a_login_changes_no_board(client, rep, team_a):
    before = _all_tokens(team_a.pk)
    client.post(reverse("login"), {"username": rep.email, "password": "pass-1234"})
    rep.refresh_from_db()
    assert rep.last_login is not None
    assert _all_tokens(team_a.pk) == before


def test_each_writer_changes_the_versions_of_the_boards_it_affects(rep, team_a, team_b):
    def changed(write) -> set[str]:
        before = dict(zip(("team", "org", "all"), _all_tokens(team_a.pk), strict=True))
        other = board_cache.tokens([board_cache.team_key(team_b.pk)])
        write()
        after = dict(zip(("team", "org", "all"), _all_tokens(team_a.pk), strict=True))
        if board_cache.tokens([board_cache.team_key(team_b.pk)]) != other:
            after["other team"] = None
        return {k for k in after if before.get(k) != after[k]}

    def target(scope, scope_id):
        return Target.objects.create(
            kpi_key="calls", scope=scope, scope_id=scope_id, granularity="month", period_start=NOV_1, value=1
        )

    assert changed(lambda: target("rep", rep.pk)) == {"team", "org"}
    assert changed(lambda: target("team", team_a.pk)) == {"team", "org"}
    assert changed(lambda: target("org", 0)) == {"org"}
    assert changed(lambda: rollups_refresh_rep_days(rep_days=[(rep.pk, date(2026, 11, 20))])) == {"team", "org"}
    assert changed(lambda: rollups_rebuild()) == {"org", "all"}
    assert changed(lambda: TeamFactory()) == {"org", "all"}
    manager = UserFactory(role=User.Role.MANAGER)
    assert changed(lambda: team_a.managers.add(manager)) == {"org", "all"}
    assert changed(lambda: CompanyHoliday.objects.create(date=date(2026, 11, 16), name="x")) == {"org", "all"}


def test_a_rolled_back_write_keeps_the_cached_board(rep, team_a):
    before = _all_tokens(team_a.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        Target.objects.create(
            kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=NOV_1, value=1
        )
        raise RuntimeError
    assert _all_tokens(team_a.pk) == before


def test_a_version_changed_by_another_process_is_seen_without_its_cache(board, rep):
    """Web workers and the Celery worker share the database, not necessarily a cache: the token is read
    from the database on every request, so a bump made elsewhere invalidates this process's entries."""
    calls_of(rep, 2)
    rollups_rebuild()
    assert actual(board(), rep) == "2"
    calls_of(rep, 1)
    signals.rollups_changed.disconnect(dispatch_uid="board_cache.rollups")
    try:
        rollups_refresh_rep_days(rep_days=[(rep.pk, date(2026, 11, 20))])
    finally:
        signals.rollups_changed.connect(board_cache._rollups_changed, dispatch_uid="board_cache.rollups")
    assert actual(board(), rep) == "2"  # nothing bumped: this is the cached board
    BoardVersion.objects.update_or_create(key=board_cache.team_key(rep.team_id), defaults={"token": 42})
    assert actual(board(), rep) == "3"


def test_a_failing_cache_costs_a_render_not_the_page(board, rep, monkeypatch):
    calls_of(rep, 2)
    rollups_rebuild()

    class Down:
        def get(self, *args, **kwargs):
            raise ConnectionError("redis down")

        set = get

    monkeypatch.setattr(board_versions, "cache", Down())  # the read-through every cached board goes through
    assert actual(board(), rep) == "2"
