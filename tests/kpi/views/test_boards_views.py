"""kpi/views/boards.py: who sees which board (the cast is a rep and teammate in team A, an outsider
in team B, team A's manager, FS, marketing, ops), where home sends each role, the CSV export, and a
fixed number of queries whatever the number of reps."""

import csv
import re
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kpi import catalog, periods
from kpi.models import CallLog, Meeting, Rollup, Target
from kpi.services.rollups import rollups_rebuild
from tests.factories import CallFactory, EmailFactory, MeetingFactory, TeamFactory, UserFactory, tokyo
from tests.kpi.services.helpers import row_cells
from tests.kpi.views.helpers import en, get

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, team_a):
    response = client.get(reverse("team_board", args=[team_a.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_rep_sees_own_team_board_but_not_another_team(client, rep, team_a, team_b):
    assert get(client, rep, reverse("team_board", args=[team_a.pk])).status_code == 200
    assert get(client, rep, reverse("team_board", args=[team_b.pk])).status_code == 403


def test_manager_sees_managed_team_only(client, manager, team_a, team_b):
    assert get(client, manager, reverse("team_board", args=[team_a.pk])).status_code == 200
    assert get(client, manager, reverse("team_board", args=[team_b.pk])).status_code == 403


def test_fs_and_marketing_do_not_see_team_boards(client, fs_user, marketer, team_a):
    assert get(client, fs_user, reverse("team_board", args=[team_a.pk])).status_code == 403
    assert get(client, marketer, reverse("team_board", args=[team_a.pk])).status_code == 403


def test_ops_sees_every_team_and_job_health(client, ops, team_a, team_b):
    assert get(client, ops, reverse("team_board", args=[team_b.pk])).status_code == 200
    assert get(client, ops, reverse("job_health")).status_code == 200


def test_org_board_for_managers_marketing_and_ops_not_reps(client, rep, manager, marketer, ops, team_a):
    url = reverse("org_board")
    assert get(client, rep, url).status_code == 403
    for user in (manager, marketer, ops):
        client.logout()
        assert get(client, user, url).status_code == 200


def test_unknown_team_is_404(client, ops):
    assert get(client, ops, reverse("team_board", args=[999_999])).status_code == 404


def test_home_sends_each_role_to_its_page(client, rep, manager, team_a):
    assert get(client, rep, reverse("home")).url == reverse("today")
    client.logout()
    assert get(client, manager, reverse("home")).url == reverse("team_board", args=[team_a.pk])


def test_fs_and_marketing_land_on_their_own_pages(client, fs_user, marketer):
    assert get(client, fs_user, reverse("home")).url == reverse("fs_meetings")
    client.logout()
    assert get(client, marketer, reverse("home")).url == reverse("org_board")


def _board_queries(client, manager, team, django_assert_max_num_queries) -> int:
    client.force_login(manager)
    with django_assert_max_num_queries(60) as ctx:
        assert client.get(reverse("team_board", args=[team.pk])).status_code == 200
    return len(ctx.captured_queries)


def test_quarter_targets_do_not_add_a_query_per_rep(
    client, manager, team_a, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(date(2026, 11, 20))

    def add_reps(n):
        for _ in range(n):
            rep = UserFactory(team=team_a)
            Target.objects.create(
                kpi_key="calls",
                scope="rep",
                scope_id=rep.pk,
                granularity="quarter",
                period_start=date(2026, 10, 1),
                value=1900,
            )

    add_reps(2)
    two = _board_queries(client, manager, team_a, django_assert_max_num_queries)
    add_reps(8)
    assert _board_queries(client, manager, team_a, django_assert_max_num_queries) == two


def _team_of(team, n):
    reps = [UserFactory(team=team) for _ in range(n)]
    for rep in reps:
        CallFactory(
            rep=rep, started_at=tokyo(2026, 11, 20, 10, 0), duration_seconds=200, result=CallLog.Result.CONNECTED
        )
        Target.objects.create(
            kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=38
        )
    rollups_rebuild()
    return reps


def _queries(client, manager, team, django_assert_max_num_queries):
    client.force_login(manager)
    url = reverse("team_board", args=[team.pk])
    with django_assert_max_num_queries(50) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_team_board_query_count_does_not_grow_with_reps(
    client, manager, team_a, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    _team_of(team_a, 3)
    three = _queries(client, manager, team_a, django_assert_max_num_queries)
    _team_of(team_a, 9)
    twelve = _queries(client, manager, team_a, django_assert_max_num_queries)
    assert three == twelve


def test_team_board_csv_has_targets_actuals_and_attainment(client, manager, rep, team_a, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    for minute in range(7):
        CallFactory(rep=rep, started_at=tokyo(2026, 11, 20, 10, minute))
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=38
    )
    rollups_rebuild()
    client.force_login(manager)
    response = client.get(reverse("team_board", args=[team_a.pk]), {"format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("rep,calls_target,calls_actual,calls_attainment")
    # 38 calls in November's 19 business days; 14 elapsed by the 20th: pace 28, 7 / 28 = 0.25.
    assert lines[1].startswith(f"{rep.email},38.0000,7,0.2500")


# Rollup, target, calendar, definition and meeting tables: what only computing a board reads.
BOARD_TABLES = ("kpi_rollup", "kpi_target", "kpi_companyholiday", "kpi_definitionversion", "kpi_meeting")


def add_reps(team, count: int) -> None:
    today = timezone.now()
    for _ in range(count):
        rep = UserFactory(team=team)
        CallFactory(rep=rep, started_at=today - timedelta(hours=1), duration_seconds=130, result="connected")
        CallFactory(rep=rep, started_at=today - timedelta(days=3))


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def cold_and_warm(client, url: str) -> tuple[int, int]:
    """Queries of a view that computes the board, then of the next one (served from the cache)."""
    cache.clear()
    return queries_of(client, url), queries_of(client, url)


def test_team_board_query_count_is_the_same_for_3_and_12_reps(client, team_a, manager, django_assert_num_queries):
    add_reps(team_a, 3)
    rollups_rebuild()
    client.force_login(manager)
    url = reverse("team_board", kwargs={"team_id": team_a.pk})
    client.get(url)  # first request may warm per-process caches
    cold_3, warm_3 = cold_and_warm(client, url)
    add_reps(team_a, 9)
    rollups_rebuild()  # a new data version: the next view computes the board again
    with django_assert_num_queries(cold_3):
        response = client.get(url)
    assert response.content.decode().count('data-rep="') == 12
    with django_assert_num_queries(warm_3):
        response = client.get(url)
    assert response.content.decode().count('data-rep="') == 12
    # Warm: session, user, the visible teams (permission, team and switcher), the data version, the
    # review badge. Nothing that grows with the team or the period.
    assert warm_3 <= 5 < cold_3


def test_team_board_query_count_is_the_same_for_every_granularity_and_size(client, team_a, manager):
    add_reps(team_a, 3)
    rollups_rebuild()
    client.force_login(manager)
    url = reverse("team_board", kwargs={"team_id": team_a.pk})
    client.get(url)
    small = {g: cold_and_warm(client, f"{url}?g={g}") for g in ("day", "week", "month")}
    add_reps(team_a, 9)
    rollups_rebuild()
    assert {g: cold_and_warm(client, f"{url}?g={g}") for g in ("day", "week", "month")} == small


def test_org_board_query_count_is_the_same_for_3_and_12_reps(client, ops, django_assert_num_queries):
    teams = [TeamFactory(), TeamFactory()]
    add_reps(teams[0], 3)
    rollups_rebuild()
    client.force_login(ops)
    url = reverse("org_board")
    client.get(url)
    cold_3, warm_3 = cold_and_warm(client, url)
    add_reps(teams[0], 5)
    add_reps(teams[1], 4)
    add_reps(TeamFactory(), 0)  # an empty team is a row too, not a query
    rollups_rebuild()
    with django_assert_num_queries(cold_3):
        client.get(url)
    with django_assert_num_queries(warm_3):
        client.get(url)
    assert warm_3 <= 4 < cold_3  # session, user, data version, review badge


@pytest.mark.parametrize("name", ["team_board", "org_board"])
def test_a_cached_board_reads_no_board_data(client, team_a, manager, name):
    add_reps(team_a, 3)
    rollups_rebuild()
    client.force_login(manager)
    url = reverse(name, kwargs={"team_id": team_a.pk} if name == "team_board" else {})
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert not [t for t in BOARD_TABLES if t in sql]


def test_month_to_date_reads_the_month_rollup_not_the_events(client, team_a, manager):
    """The board's numbers equal the events' sums, yet the page never touches an event table."""
    add_reps(team_a, 3)
    rollups_rebuild()
    client.force_login(manager)
    url = reverse("team_board", kwargs={"team_id": team_a.pk})
    with CaptureQueriesContext(connection) as captured:
        client.get(f"{url}?g=month&d={periods.local_date(timezone.now()).isoformat()}")
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert "kpi_calllog" not in sql and "kpi_emailtouch" not in sql


# --- board views: chosen columns, sorting, the change against the previous period, rep links --------


def _rep_order(html: str) -> list[str]:
    return re.findall(r'data-rep="([^"]+)"', html)


def test_a_board_view_shows_kpis_no_page_showed_before(client, manager, rep, team_a, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    for n in range(4):
        EmailFactory(rep=rep, sent_at=tokyo(2026, 11, 20, 10, n), delivered=True, opened=n == 0)
    rollups_rebuild()
    client.force_login(manager)
    html = client.get(reverse("team_board", args=[team_a.pk]), {"v": "marketing"}).content.decode()
    assert "開封率" in html and "パーミッション獲得率" in html
    cells = row_cells(html, "rep", rep.email)
    assert cells[3 * 3 + 1].startswith("25.0%")  # open rate: 1 opened of 4 delivered


def test_rows_sort_by_the_chosen_column_and_direction(client, manager, team_a, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    reps = {n: UserFactory(team=team_a, email=f"r{n}@example.jp", name=f"R{n}") for n in (1, 3, 2)}
    for n, rep in reps.items():
        for minute in range(n):
            CallFactory(rep=rep, started_at=tokyo(2026, 11, 20, 10, minute))
    rollups_rebuild()
    client.force_login(manager)
    url = reverse("team_board", args=[team_a.pk])
    assert _rep_order(client.get(url, {"sort": "calls"}).content.decode()) == [
        "r3@example.jp",
        "r2@example.jp",
        "r1@example.jp",
    ]
    assert _rep_order(client.get(url, {"sort": "calls", "dir": "asc"}).content.decode())[0] == "r1@example.jp"


def test_actuals_show_the_change_against_the_previous_month_at_the_same_business_day(
    client, manager, rep, team_a, time_machine
):
    # Thursday Dec 3 is December's 3rd business day; November's 3rd is the 5th (the 3rd is a holiday).
    time_machine.move_to(tokyo(2026, 12, 3, 18, 0))
    for day, count in ((2, 4), (5, 1), (6, 50)):  # Nov 6 is past the same point
        for minute in range(count):
            CallFactory(rep=rep, started_at=tokyo(2026, 11, day, 10, minute))
    for minute in range(8):
        CallFactory(rep=rep, started_at=tokyo(2026, 12, 2, 10, minute))
    rollups_rebuild()
    client.force_login(manager)
    html = client.get(reverse("team_board", args=[team_a.pk])).content.decode()
    assert row_cells(html, "rep", rep.email)[1] == (
        '8<small class="delta delta-up" title="前期間の同じ時点との差">+3</small>'
    )
    assert "2026-11-01 – 2026-11-05" in html


def test_rep_names_link_to_the_rep_page(client, manager, rep, team_a):
    client.force_login(manager)
    html = client.get(reverse("team_board", args=[team_a.pk])).content.decode()
    assert f'href="{reverse("rep_page", args=[rep.pk])}"' in html


def test_query_count_is_the_same_for_every_view_and_for_twelve_picked_kpis(client, team_a, manager):
    add_reps(team_a, 3)
    rollups_rebuild()
    client.force_login(manager)
    url = reverse("team_board", kwargs={"team_id": team_a.pk})
    client.get(url)
    standard = cold_and_warm(client, url)
    twelve = "&".join(f"k={k}" for k in list(catalog.REGISTRY)[:12])
    # A view without outcome KPIs skips the two pending-meetings queries; none needs more than the standard.
    for query in ("v=activity", "v=marketing", "v=conversion", twelve, "v=outcome&sort=orders.pace"):
        cold, warm = cold_and_warm(client, f"{url}?{query}")
        assert cold in (standard[0], standard[0] - 2) and warm == standard[1], query
    assert cold_and_warm(client, f"{url}?v=outcome") == standard


def test_board_csv_has_the_chosen_columns(client, manager, rep, team_a):
    client.force_login(manager)
    response = client.get(reverse("team_board", args=[team_a.pk]), {"format": "csv", "k": ["open_rate", "calls"]})
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert (
        header
        == "rep,open_rate_target,open_rate_actual,open_rate_attainment,calls_target,calls_actual,calls_attainment"
    )


def test_a_rep_sees_the_board_without_links_to_pages_they_may_not_open(client, rep, teammate, team_a):
    client.force_login(rep)
    html = client.get(reverse("team_board", args=[team_a.pk])).content.decode()
    assert reverse("rep_page", args=[teammate.pk]) not in html
    assert teammate.name in html


def month_row(scope: str, scope_id: int, **measures) -> None:
    Rollup.objects.create(
        granularity="month", scope=scope, scope_id=scope_id, period_start=date(2026, 11, 1), **measures
    )


def row_class(html: str, email: str) -> str:
    return html.split(f'data-rep="{email}"')[0].rsplit('<tr class="', 1)[1].split('"')[0]


def test_a_board_seen_at_9_on_a_working_day_is_not_red_for_a_rep_on_pace(client, manager, rep, team_a, time_machine):
    # 1,900 calls over November's 19 business days: 100 a day. On Wednesday 11-04 only 11-02 has passed
    # (11-03 is Culture Day); the rep made its 100 calls. At 09:00 nothing of today is expected yet.
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=1900
    )
    month_row("rep", rep.pk, calls=100)
    client.force_login(manager)
    time_machine.move_to(tokyo(2026, 11, 4, 9, 0))
    html = client.get(reverse("team_board", args=[team_a.pk]), {"g": "month"}).content.decode()
    assert row_class(html, rep.email) == "row-green"  # 100 / 100; counting today whole asked for 200 (50%, red)
    # At 13:30 half of today is expected: 150, and 100 / 150 = 67% is red (the cached 09:00 board is not reused).
    time_machine.move_to(tokyo(2026, 11, 4, 13, 30))
    html = client.get(reverse("team_board", args=[team_a.pk]), {"g": "month"}).content.decode()
    assert row_class(html, rep.email) == "row-red"


def test_team_and_org_boards_show_the_same_team_target(client, ops, rep, teammate, team_a, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    left = UserFactory(team=team_a, is_active=False)
    for user, value in ((rep, 10), (left, 5)):
        Target.objects.create(
            kpi_key="meetings",
            scope="rep",
            scope_id=user.pk,
            granularity="month",
            period_start=date(2026, 11, 1),
            value=value,
        )
    # Q4 2026 has 63 business days, 19 of them in November: a 63-meeting quarter target gives November 19.
    Target.objects.create(
        kpi_key="meetings",
        scope="rep",
        scope_id=teammate.pk,
        granularity="quarter",
        period_start=date(2026, 10, 1),
        value=63,
    )
    client.force_login(ops)
    team_csv = client.get(reverse("team_board", args=[team_a.pk]), {"g": "month", "format": "csv"})
    org_csv = client.get(reverse("org_board"), {"g": "month", "format": "csv"})

    def meetings_target(response, name):
        lines = list(csv.reader(response.content.decode("utf-8-sig").splitlines()))
        column = lines[0].index("meetings_target")
        return next(line[column] for line in lines if line[0] == name)

    # The active reps' 10 + 19; the rep who left no longer counts.
    assert meetings_target(team_csv, team_a.name) == meetings_target(org_csv, team_a.name) == "29.0000"


def test_unjudged_meetings_never_show_as_0_percent(client, manager, rep, team_a, time_machine):
    time_machine.move_to(tokyo(2026, 11, 30, 19, 0))
    Target.objects.create(
        kpi_key="qualified_meetings",
        scope="rep",
        scope_id=rep.pk,
        granularity="month",
        period_start=date(2026, 11, 1),
        value=10,
    )
    for _ in range(3):
        MeetingFactory(rep=rep, status=Meeting.Status.SCHEDULED, set_at=tokyo(2026, 11, 27, 10, 0))
    month_row("rep", rep.pk, meetings=3)
    client.force_login(manager)
    en(client)
    html = client.get(reverse("team_board", args=[team_a.pk]), {"g": "month"}).content.decode()
    row = html.split(f'data-rep="{rep.email}"')[1].split("</tr>")[0]
    cells = row.split("<td")[1:]
    qualified = catalog.BOARD_KPIS.index("qualified_meetings")
    target, actual, att = cells[3 * qualified : 3 * qualified + 3]
    assert ">10<" in target and "+3 pending" in actual
    assert "status-pending" in att and ">pending<" in att and "0%" not in att


@pytest.mark.parametrize(
    ("month", "previous"),
    [
        ("2026-12-01", "2026-11-01"),
        ("2026-03-01", "2026-02-01"),
        ("2026-05-01", "2026-04-01"),
        ("2026-07-01", "2026-06-01"),
        ("2026-10-01", "2026-09-01"),
    ],
)
def test_previous_month_is_the_month_before(client, manager, team_a, month, previous):
    client.force_login(manager)
    html = client.get(reverse("team_board", args=[team_a.pk]), {"g": "month", "d": month}).content.decode()
    assert re.search(rf'href="\?g=month&d={previous}(&v=standard)?" aria-label=', html)


def test_day_and_week_links_open_todays_day_and_week(client, manager, team_a, time_machine):
    time_machine.move_to(tokyo(2026, 12, 16, 10, 0))  # a Wednesday; its week starts Monday 12-14
    client.force_login(manager)
    html = client.get(reverse("team_board", args=[team_a.pk]), {"g": "month", "d": "2026-12-01"}).content.decode()
    assert 'href="?g=day&d=2026-12-16&' in html and 'href="?g=week&d=2026-12-14&' in html
    # A past month in view: its first day and the week holding it.
    html = client.get(reverse("team_board", args=[team_a.pk]), {"g": "month", "d": "2026-10-01"}).content.decode()
    assert 'href="?g=day&d=2026-10-01&' in html and 'href="?g=week&d=2026-09-28&' in html


def test_org_board_links_only_to_team_boards_the_viewer_may_open(client, manager, marketer, ops, team_a, team_b):
    board_url = reverse("team_board", args=[team_b.pk])
    pages = {}
    for user in (manager, marketer, ops):
        client.force_login(user)
        pages[user.role] = client.get(reverse("org_board")).content.decode()
    assert reverse("team_board", args=[team_a.pk]) in pages["manager"] and board_url not in pages["manager"]
    assert "/teams/" not in pages["marketing"] and team_b.name in pages["marketing"]
    assert board_url in pages["ops"]
