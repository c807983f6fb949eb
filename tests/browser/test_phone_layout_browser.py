"""Every page a role may open fits a 390 px phone screen: nothing wider than the screen (tables
scroll inside their own box), the rep's tiles in one column, FS's Save button on screen."""

import pytest
from django.urls import reverse

from kpi.models import Meeting, Plan
from kpi.navigation import ITEMS
from tests.browser.conftest import shot
from tests.factories import MeetingFactory, tokyo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390


def pages_of(role: str, extra=()) -> list[str]:
    return [reverse(item.url_name) for item in ITEMS if role in item.roles] + list(extra)


def too_wide(page, url: str) -> int | None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    return width if width > PHONE else None


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": PHONE, "height": 844})
    return page


def test_every_page_fits_a_phone_for_every_role(fired, phone, login, rep, manager, fs_user, marketer, ops, live_server):
    MeetingFactory(rep=rep, fs_owner=fs_user, set_at=tokyo(2026, 11, 19, 11, 0), status=Meeting.Status.SCHEDULED)
    plan = Plan.objects.get()
    team = rep.team_id
    details = [
        reverse("team_board", args=[team]) + "?g=day",
        reverse("team_board", args=[team]) + "?g=week",
        reverse("weekly_review", args=[team]),
        reverse("review_item", args=[fired.pk]),
        reverse("review_rules"),
        reverse("plan_detail", args=[plan.pk]),
        reverse("rep_page", args=[rep.pk]),
        reverse("rep_calls", args=[rep.pk]),
        reverse("marketing"),
        reverse("inbox"),
    ]
    ops_only = [reverse("person", args=[rep.pk]), reverse("import_profile_new")]
    cast = {
        "rep": (rep, [reverse("inbox")]),
        "manager": (manager, details),
        "fs": (fs_user, []),
        "marketing": (marketer, []),
        "ops": (ops, details + ops_only),
    }
    wide = {}
    for role, (user, extra) in cast.items():
        page = login(user, lang="ja")
        for path in pages_of(role, extra):
            width = too_wide(page, live_server.url + path)
            if width:
                wide[f"{role} {path}"] = width
                shot(page, f"phone_wide_{role}_{path.strip('/').replace('/', '_') or 'home'}")
        page.context.clear_cookies()
    assert wide == {}


def test_the_reps_tiles_stack_and_fs_save_is_on_screen(fired, phone, login, rep, fs_user, live_server):
    MeetingFactory(rep=rep, fs_owner=fs_user, set_at=tokyo(2026, 11, 19, 11, 0), status=Meeting.Status.SCHEDULED)
    page = login(rep, lang="ja")
    page.goto(live_server.url + reverse("today"))
    boxes = [t.bounding_box() for t in page.locator("#card-today .tile").all()]
    assert len(boxes) == 4 and len({round(b["x"]) for b in boxes}) == 1  # one column
    assert all(b["x"] + b["width"] <= PHONE for b in boxes)
    assert boxes[-1]["y"] + boxes[-1]["height"] <= 844  # all four on the first screen
    page.context.clear_cookies()
    page = login(fs_user, lang="ja")
    page.goto(live_server.url + reverse("fs_meetings"))
    save = page.locator("#fs-meetings .ing-outcome button[type=submit]").first.bounding_box()
    assert save is not None and save["x"] >= 0 and save["x"] + save["width"] <= PHONE
