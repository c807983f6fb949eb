"""Ops add a person, see them invited, and deactivate a leaver, in Japanese and English, at 1440 and
390 px wide."""

import re

import pytest
from django.core import mail

from accounts.models import User
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_ops_add_a_person_and_deactivate_a_leaver(login, live_server, ops, manager, rep, teammate, team_a, lang, width):
    page = login(ops, lang=lang)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/accounts/people/")
    assert page.locator(f"#people tr[data-email='{rep.email}']").count() == 1
    shot(page, f"people_{lang}_{width}")
    page.click("#new-person")
    page.fill("input[name=email]", f"new.{lang}{width}@example.jp")
    page.fill("input[name=name]", "新人 一郎" if lang == "ja" else "Ichiro Shinjin")
    page.select_option("select[name=team]", str(team_a.pk))
    page.uncheck("input[name=workdays][value='4']")
    page.fill("input[name=work_hours_per_day]", "6.5")
    page.click("#person-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    created = User.objects.get(email=f"new.{lang}{width}@example.jp")
    assert (created.team_id, created.workdays, str(created.work_hours_per_day)) == (team_a.pk, "0123", "6.50")
    assert "招待" in page.inner_text(".messages") if lang == "ja" else "invited" in page.inner_text(".messages")
    assert re.search(r"/accounts/password/\S+/\S+/", mail.outbox[-1].body)
    shot(page, f"person_{lang}_{width}")
    page.goto(f"{live_server.url}/accounts/people/{teammate.pk}/")
    page.click("#deactivate-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    teammate.refresh_from_db()
    assert not teammate.is_active and teammate.last_day is not None
    assert page.locator("#leave h2").inner_text() == ("無効" if lang == "ja" else "Deactivated")
    shot(page, f"person_deactivated_{lang}_{width}")
    # Nothing runs off the page's right edge at this width.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
