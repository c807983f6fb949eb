"""The FS meetings page in a real browser: which meetings wait for an outcome (ja and en)."""

import pytest

from tests.browser.conftest import shot
from tests.factories import MeetingFactory, tokyo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEETINGS_OPEN = {"ja": "結果未入力", "en": "Open"}  # no outcome yet, not a review item being worked (対応中)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_fs_meetings_page_says_which_meetings_wait_for_an_outcome(login, live_server, fs_user, rep, time_machine, lang):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0), tick=True)
    MeetingFactory(rep=rep, set_at=tokyo(2026, 11, 18, 11, 0), scheduled_for=tokyo(2026, 11, 25, 14, 0))
    page = login(fs_user, lang=lang)
    page.goto(f"{live_server.url}/meetings/")
    assert page.locator(".toolbar .seg a").first.inner_text() == MEETINGS_OPEN[lang]
    assert rep.name in page.locator("table tbody").inner_text()
    shot(page, f"ingestion_fs_meetings_{lang}")
