"""The weekly review in a real browser (ja and en, 1440 and 390 px): the manager goes back a week and
sees that week's re-checks and where the items opened the week before stand, then comes back."""

from datetime import date

import pytest

from kpi.models import ReviewEntry
from kpi.services.reviews import reviews_recheck
from tests.browser.conftest import shot
from tests.factories import tokyo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "ja": {"rechecks": "この週の再確認", "prev": "前の週"},
    "en": {"rechecks": "Re-checks of the week", "prev": "Previous week"},
}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_manager_goes_back_a_week(fired, login, manager, rep, team_a, time_machine, lang):
    t = TEXT[lang]
    ReviewEntry.objects.create(item=fired, author=manager, cause="c", next_action="n", recheck_on=date(2026, 11, 24))
    time_machine.move_to(tokyo(2026, 11, 25, 7, 20))
    reviews_recheck(today=date(2026, 11, 25))
    time_machine.move_to(tokyo(2026, 12, 2, 9, 0))
    page = login(manager, lang=lang)
    root = "/".join(page.url.split("/", 3)[:3])
    page.goto(f"{root}/teams/{team_a.pk}/review/")
    assert "2026-11-30" in page.locator("h1").inner_text()
    page.click("#prev-week")
    page.wait_for_load_state("networkidle")
    assert "2026-11-23" in page.locator("h1").inner_text()
    assert t["rechecks"] in page.locator("body").inner_text()
    assert page.locator("#week-rechecks tbody tr").count() == 1
    assert page.locator("#week-rechecks .pill.recovered").count() == 0  # 12 calls: still below
    assert page.locator("#week-outcomes tbody tr a").count() == 2  # the rep's and the teammate's, opened on the 20th
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"weekly_review_{lang}_{width}")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.click("#next-week")
    page.wait_for_load_state("networkidle")
    assert "2026-11-30" in page.locator("h1").inner_text() and page.locator("#next-week").count() == 0
