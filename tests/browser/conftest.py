"""Playwright against Debian's Chromium and pytest-django's live_server.

`playwright install` cannot download browsers here, so the system /usr/bin/chromium is launched
directly. Screenshots land in screenshots/ (git-ignored) for a person to look at.
"""

import os
from datetime import date
from pathlib import Path

import pytest

from kpi.forms.planner import plan_input_parse
from kpi.models import CallLog, FsCapacity, LeadSupply, ReviewItem, ReviewRule, Target
from kpi.services.planner import plan_save
from kpi.services.reviews import reviews_evaluate
from kpi.services.rollups import rollups_rebuild
from tests.factories import CallFactory, MeetingFactory, tokyo

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="ja-JP")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page, live_server):
    """login(user, lang="ja"): sign in through the real form and pick the interface language."""

    def _login(user, lang: str = "ja", password: str = "pass-1234"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.email)
        page.fill("input[name=password]", password)
        page.click("button[type=submit].primary")
        page.wait_for_load_state("networkidle")
        set_language(page, lang)
        return page

    return _login


def set_language(page, lang: str) -> None:
    page.click(f".lang button[value={lang}]")
    page.wait_for_load_state("networkidle")


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


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


@pytest.fixture
def fired(rep, teammate, manager, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    for i in range(12):
        CallFactory(
            rep=rep,
            started_at=tokyo(2026, 11, 19, 9 + i % 8, i),
            duration_seconds=150 if i % 3 else 0,
            result=CallLog.Result.CONNECTED if i % 3 else CallLog.Result.NO_ANSWER,
        )
    for user in (rep, teammate):
        Target.objects.create(
            kpi_key="calls",
            scope="rep",
            scope_id=user.pk,
            granularity="month",
            period_start=date(2026, 11, 1),
            value=380,
        )
    rollups_rebuild()
    ReviewRule.objects.create(kpi_key="calls", scope="rep", granularity="month")
    reviews_evaluate(cadence="daily", as_of=date(2026, 11, 19))
    plan_save(
        plan_input=plan_input_parse(team=rep.team, data={"month": "2026-12", "goal_value": "6"}),
        as_of=date(2026, 11, 20),
        user=manager,
    )
    LeadSupply.objects.create(month=date(2026, 12, 1), channel="web", leads=300)
    FsCapacity.objects.create(month=date(2026, 12, 1), meetings=20)
    return ReviewItem.objects.get(scope_id=rep.pk)
