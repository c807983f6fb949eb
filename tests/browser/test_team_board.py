"""The manager's team board and the rep's today page in a real browser, in Japanese and English."""

from datetime import date

import pytest

from kpi.models import CallLog, Target
from kpi.services.rollups import rollups_rebuild

from ..factories import CallFactory, MeetingFactory, tokyo
from .conftest import set_language, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def board(rep, teammate, manager, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    for i in range(10):
        CallFactory(
            rep=rep, started_at=tokyo(2026, 11, 20, 10, i), duration_seconds=150, result=CallLog.Result.CONNECTED
        )
    CallFactory(rep=teammate, started_at=tokyo(2026, 11, 20, 10, 0))
    MeetingFactory(rep=rep, set_at=tokyo(2026, 11, 20, 10, 5), status="won", amount=500_000)
    for user in (rep, teammate):
        Target.objects.create(
            kpi_key="calls",
            scope="rep",
            scope_id=user.pk,
            granularity="month",
            period_start=date(2026, 11, 1),
            value=38,
        )
    rollups_rebuild()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_manager_sees_team_board_with_red_rows(board, login, manager, rep, teammate, lang):
    page = login(manager, lang=lang)
    page.goto(f"{page.url.split('/teams/')[0]}/teams/{rep.team_id}/")
    table = page.locator("#team-board")
    table.wait_for()
    # November 2026 has 19 business days (3rd and 23rd are holidays); by the 20th, 14 have passed:
    # pace = 38 x 14 / 19 = 28. The rep's 10 calls are 36% of pace; the teammate's 1 call 4%.
    rep_row = page.locator(f"tr[data-rep='{rep.email}']")
    assert "row-red" in rep_row.get_attribute("class")
    assert "10" in rep_row.locator("td").nth(1).inner_text()
    assert page.locator("tr.row-red").count() == 2
    assert "¥500,000" in page.locator("#wins").inner_text()
    assert rep.name in page.locator("#leaders").inner_text()
    heading = "チームボード" if lang == "ja" else "Team board"
    assert heading in page.locator("h1").inner_text()
    shot(page, f"team_board_{lang}")


def test_rep_today_page_in_both_languages(board, login, rep):
    page = login(rep, lang="ja")
    page.goto(page.url.split("/today")[0] + "/today/")
    assert page.locator("#card-today .tile[data-kpi=calls] .tile-value").inner_text() == "10"
    shot(page, "today_ja")
    set_language(page, "en")
    assert "Today against target" in page.content()
    shot(page, "today_en")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_org_board_lists_teams_with_links(board, login, ops, team_a, lang):
    page = login(ops, lang=lang)
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/")[2] + "/org/")
    row = page.locator(f"#org-board tr[data-team='{team_a.pk}']")
    assert "11" in row.locator("td").nth(1).inner_text()  # 10 + 1 calls in team A
    assert ("組織全体" if lang == "ja" else "Organisation") in page.locator("h1").inner_text()
    # Ops has the longest menu: the top bar still fits one line at 1400 px.
    assert page.locator("header.topbar").bounding_box()["height"] < 60
    shot(page, f"org_board_{lang}")
    # Role and "log out" sit behind the person's name.
    page.click(".nav-account summary")
    shot(page, f"account_menu_{lang}")
    page.click(".nav-account button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login/" in page.url


def test_today_trend_chart_has_its_numbers_one_click_away(board, login, rep):
    page = login(rep, lang="en")
    page.goto(page.url.split("/today")[0] + "/today/")
    page.click("#month-trend summary")
    nov20 = page.locator("#trend-table tr", has_text="11/20")
    assert nov20.locator("td").nth(1).inner_text() == "10"
    assert nov20.locator("td").nth(2).inner_text() == "2"  # 38 calls / 19 business days
    assert page.evaluate("() => !!Chart.getChart('trend-chart')")
    shot(page, "today_trend_en")
