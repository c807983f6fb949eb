"""Ops sees teams, managers and members, in Japanese and English."""

import pytest

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_ops_sees_org_structure(login, live_server, ops, manager, rep, teammate, outsider, fs_user, lang):
    page = login(ops, lang=lang)
    page.goto(f"{live_server.url}/accounts/structure/")
    team_card = page.locator(f"section[data-team='{rep.team_id}']")
    assert rep.email in team_card.inner_text()
    assert manager.name in team_card.locator("h2").inner_text()
    assert fs_user.email in page.content()
    shot(page, f"org_structure_{lang}")
