"""Fixtures of kpi's tests: a review item of team A's rep, opened by a rule on that rep (7% of a
1,900-call target); a real Celery worker; the clock and media of import tests; rules, plans and
activity several test files share."""

import os
import subprocess
import sys
import uuid
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection

from kpi.models import (
    CallLog,
    ReviewItem,
    ReviewRule,
    Target,
)
from tests.factories import CallFactory, EmailFactory, UserFactory, tokyo
from tests.kpi.helpers import day_row, rule_for
from tests.kpi.worker import BROKER, ROOT, _missing, _redis_ok


@pytest.fixture
def item(team_a, rep):
    rule = ReviewRule.objects.create(kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month")
    return ReviewItem.objects.create(
        rule=rule,
        kpi_key="calls",
        scope="rep",
        scope_id=rep.pk,
        team=team_a,
        granularity="month",
        threshold_pct=70,
        min_sample=30,
        pace_aware=True,
        period_start=date(2026, 11, 1),
        as_of=date(2026, 11, 20),
        target=1900,
        expected=1400,
        attainment_pct=7,
    )


@pytest.fixture
def worker(settings):
    if connection.vendor != "postgresql":
        _missing("the worker test shares the test database, which needs PostgreSQL (set DATABASE_URL)")
    if not _redis_ok():
        _missing(f"Redis is not answering at {BROKER}")
    db = connection.settings_dict
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "isales", "worker", "--pool=solo", "-Q", queue, "--loglevel=warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def now(time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    return time_machine


@pytest.fixture
def activity(rep, teammate, outsider):
    connected = CallLog.Result.CONNECTED
    for i, user in enumerate((rep, teammate, outsider)):
        for day in (2, 9, 16, 30):
            CallFactory(rep=user, started_at=tokyo(2026, 11, day, 9 + i, 0), duration_seconds=30 * i, result=connected)
            CallFactory(rep=user, started_at=tokyo(2026, 11, day, 14, 0), duration_seconds=150, result=connected)
        EmailFactory(rep=user, sent_at=tokyo(2026, 12, 1, 9, 0), opened=True)


@pytest.fixture
def english(client, settings):
    """Japanese is the default; these assertions read the English page unless a test switches."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def team_rule(team_a):
    return rule_for("team", team_a.pk)


@pytest.fixture
def rules(team_a, team_b, rep, outsider):
    return {
        "own team": rule_for("team", team_a.pk),
        "own rep": rule_for("rep", rep.pk),
        "other team": rule_for("team", team_b.pk),
        "other team's rep": rule_for("rep", outsider.pk),
        "every rep": rule_for("rep", None),
        "every team": rule_for("team", None),
        "organisation": rule_for("org", None),
    }


@pytest.fixture
def behind(rep, manager):
    """The rep made 100 calls against a pace of 1,400: every calls rule on them fires."""
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=1900
    )
    day_row("rep", rep.pk, date(2026, 11, 2), calls=100)


@pytest.fixture
def evaluated_item(rep, manager, time_machine):
    from tests.factories import tokyo

    time_machine.move_to(tokyo(2026, 11, 21, 9, 0))
    rule = ReviewRule.objects.create(kpi_key="calls", scope="rep", granularity="month")
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=1900
    )
    day_row("rep", rep.pk, date(2026, 11, 2), calls=100)
    call_command("evaluate_reviews", "--as-of", "2026-11-20")
    return ReviewItem.objects.get(rule=rule)


@pytest.fixture
def five(team_a):
    return [UserFactory(team=team_a, name=f"Rep {i}") for i in range(5)]
