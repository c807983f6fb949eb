"""The manager's team board and the organisation board in a real browser, in Japanese and English."""

import pytest

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
