"""The inbox in a real browser (ja and en, 1440 and 390 px): the manager sees the item opened on
their team and its re-check due, the header badge counts them, and marking read leaves what waits."""

from datetime import date

import pytest

from kpi.models import ReviewEntry
from tests.browser.conftest import shot
from tests.factories import tokyo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "ja": {
        "title": "受信箱",
        "rechecks": "再確認の期日が来た案件",
        "opened": "発生",
        "read": "受信箱を既読にしました。",
    },
    "en": {"title": "Inbox", "rechecks": "Re-checks due", "opened": "Newly opened", "read": "Inbox marked as read."},
}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_manager_reads_the_inbox_and_the_badge_counts_it(fired, login, manager, rep, time_machine, lang):
    t = TEXT[lang]
    ReviewEntry.objects.create(item=fired, author=manager, cause="c", next_action="n", recheck_on=date(2026, 11, 20))
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    page = login(manager, lang=lang)
    root = "/".join(page.url.split("/", 3)[:3])
    page.goto(f"{root}/inbox/")
    page.wait_for_selector("#inbox-badge")
    # The rep's and the teammate's items opened, and the rep's re-check due.
    assert page.locator("#inbox-badge").inner_text() == "3"
    assert page.locator("h1").inner_text().startswith(t["title"])
    assert t["rechecks"] in page.locator("#inbox-rechecks").inner_text()
    assert page.locator("#inbox-notices li.notice-item_opened").count() == 2
    assert t["opened"] in page.locator("#inbox-notices").inner_text()
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"inbox_{lang}_{width}")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.click("#mark-read")
    page.wait_for_load_state("networkidle")
    assert t["read"] in page.locator(".messages").inner_text()
    page.wait_for_selector("#inbox-badge")
    assert page.locator("#inbox-badge").inner_text() == "1"  # the re-check still waits
