"""Every URL of the product × every role, on the objects of one team (東京第1チーム: its rep's page,
calls and review item and rule, its plan, its chat webhook, its manager's import jobs, a duplicate pair
of its rep's calls) and of the organisation (a definition and its draft, an import profile, an
integration, a company holiday, a person and their sign-in link).

The viewers are the product's roles seen from that team: anonymous, a rep of another team, a
teammate of the rep, the team's manager, a manager of another team, FS, marketing and ops.

One table (MATRIX) says what each role gets from each URL, GET and POST: a new URL without a row
fails the test. A viewer who may not see an object gets 404 (or 403 where the whole page is not
theirs), and no page shows the team's private data to anyone outside it (0 leaks).
"""

from datetime import date

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import urls as accounts_urls
from accounts.models import User
from kpi import urls as kpi_urls
from kpi.api import urls as api_urls
from kpi.models import (
    CallDuplicate,
    CompanyHoliday,
    ImportJob,
    ImportProfile,
    Integration,
    Notice,
    Plan,
    ReviewItem,
    ReviewRule,
    TeamWebhook,
)
from kpi.services import definitions
from kpi.services.imports.jobs import import_job_create
from kpi.services.imports.mappings import import_profile_save, import_profiles_ensure_builtin
from kpi.services.imports.records import calls_ingest
from tests.factories import CallFactory, TeamFactory, UserFactory, tokyo
from tests.kpi.helpers import threshold

pytestmark = pytest.mark.django_db

# The viewers, in the order of each MATRIX row.
ROLES = ("anonymous", "other_rep", "teammate", "manager", "other_manager", "fs", "marketing", "ops")


def patterns(module):
    """Every named pattern of a urls module, read from the module itself (a new path is a new name)."""
    for entry in module.urlpatterns:
        if isinstance(entry, URLResolver):
            raise AssertionError(f"nested include in {module.__name__}: enumerate it here")
        assert isinstance(entry, URLPattern) and entry.name, entry
        yield entry.name


ALL_NAMES = sorted([*patterns(kpi_urls), *patterns(api_urls), *patterns(accounts_urls)])

PREVIEW_CSV = (
    "external_id,rep_email,started_at,duration_seconds,direction,result\r\n"
    "m-1,rep@example.jp,2026-11-20 10:00,130,outbound,connected\r\n"
)


@pytest.fixture(autouse=True)
def _media():
    """Overrides the per-test media folder of the shared conftest: the uploads every row reads live in
    the world's folder, set once for the module."""


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The objects every row reads, made once for the module inside one transaction that is rolled
    back at its end (each test's own changes are rolled back per request, see outcome)."""
    fast = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "matrix"}},
    )
    with fast, django_db_blocker.unblock(), transaction.atomic():
        yield _world()
        transaction.set_rollback(True)


def _world():
    team_a, team_b = TeamFactory(name="東京第1チーム"), TeamFactory(name="大阪チーム")
    rep = UserFactory(email="rep@example.jp", name="佐藤 花子", team=team_a)
    teammate = UserFactory(email="mate@example.jp", name="鈴木 一郎", team=team_a)
    outsider = UserFactory(email="outsider@example.jp", name="高橋 健", team=team_b)
    manager = UserFactory(email="manager@example.jp", name="田中 部長", role=User.Role.MANAGER, team=team_a)
    team_a.managers.add(manager)
    other_manager = UserFactory(email="osaka-mgr@example.jp", name="大阪 部長", role=User.Role.MANAGER, team=team_b)
    team_b.managers.add(other_manager)
    fs_user = UserFactory(email="fs@example.jp", name="FS 担当", role=User.Role.FS)
    marketer = UserFactory(email="mk@example.jp", name="マーケ 担当", role=User.Role.MARKETING)
    ops = UserFactory(email="ops@example.jp", name="運用 管理者", role=User.Role.OPS)
    rule = ReviewRule.objects.create(kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month")
    item = ReviewItem.objects.create(
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
        result="tokyo-item-result",
    )
    planner = Client()  # a plan as the team's manager saves it on the planner page
    planner.force_login(manager)
    form = {"team": team_a.pk, "month": "2026-12", "goal_kind": "orders", "goal_value": "3", "action": "save"}
    assert planner.post(reverse("planner"), form).status_code == 302
    plan = Plan.objects.get()
    target = {"kpi": "calls", "scope": "team", "scope_id": team_a.pk, "granularity": "month", "value": "4321"}
    saved = planner.post(  # the team's November target as the manager sets it through the API
        reverse("api_targets"), {"targets": [{**target, "period_start": "2026-11-01"}]}, content_type="application/json"
    )
    assert saved.status_code == 200
    TeamWebhook.objects.create(team=team_a, kind="slack", url="https://hooks.slack.com/services/tokyo-hook")
    job = ImportJob.objects.create(
        kind="calls", original_name="calls-tokyo.csv", status="done", created_by=manager, finished_at=timezone.now()
    )
    Notice.objects.create(user=manager, kind=Notice.Kind.ITEM_OPENED, item=item)  # in the manager's inbox
    # Import profiles as the imports page makes them: the built-in presets, and one ops saved.
    import_profiles_ensure_builtin()
    profile = import_profile_save(
        name="pbx-export",
        fields={"source": "pbx", "columns": {"external_id": "ID", "rep_email": "Email", "started_at": "Start"}},
        by=ops,
    )
    # A call file the team's manager uploaded to preview through a profile (not started yet).
    preview = import_job_create(
        kind="calls",
        source="zoom",
        upload=SimpleUploadedFile("calls-tokyo.csv", PREVIEW_CSV.encode(), content_type="text/csv"),
        profile=ImportProfile.objects.get(name="zoom-phone"),
        dry_run=False,
        by=manager,
        preview=True,
    )
    # The same call of the rep from two feeds: a pair to decide on the data-feeds page.
    logged = CallFactory(rep=rep, source="miitel", external_id="m-1", started_at=tokyo(2026, 11, 20, 10))
    calls_ingest(
        records=[
            {
                "external_id": "z-1",
                "rep_email": rep.email,
                "started_at": "2026-11-20T10:00:02+09:00",
                "result": "connected",
            }
        ],
        source="zoom",
    )
    pair = CallDuplicate.objects.get()
    integration = Integration.objects.create(name="MiiTel", source="miitel", token_hash="x" * 64, token_prefix="x")
    holiday = CompanyHoliday.objects.create(date=date(2026, 12, 29), name="年末休業")
    version = definitions.definition_version_draft(
        key="effective_calls", params=threshold(90), effective_from=date(2026, 11, 15), reason="x", actor=manager
    )
    users = {
        "other_rep": outsider,
        "teammate": teammate,
        "manager": manager,
        "other_manager": other_manager,
        "fs": fs_user,
        "marketing": marketer,
        "ops": ops,
    }
    args = {
        "api-not-found": ["no-such-resource/"],
        "team_board": [team_a.pk],
        "weekly_review": [team_a.pk],
        "team_webhooks": [team_a.pk],
        "rep_page": [rep.pk],
        "rep_calls": [rep.pk],
        "quick_log_undo": [logged.pk],
        "review_item": [item.pk],
        "review_rule_edit": [rule.pk],
        "review_rule_active": [rule.pk],
        "plan_detail": [plan.pk],
        "plan_apply": [plan.pk],
        "kpi_draft": ["effective_calls"],
        "kpi_decide": [version.pk],
        "import_job": [job.pk],
        "import_preview": [preview.pk],
        "import_start": [preview.pk],
        "import_profile": [profile.pk],
        "import_profile_values": [profile.pk],
        "import_profile_delete": [profile.pk],
        "call_duplicate_decide": [pair.pk],
        "integration_revoke": [integration.pk],
        "holiday_delete": [holiday.pk],
        "person": [rep.pk],
        "password_set": [urlsafe_base64_encode(force_bytes(rep.pk)), default_token_generator.make_token(rep)],
        "api-definition": ["effective_calls"],
        "api-definition-draft": ["effective_calls"],
        "api-definition-decide": [version.pk],
    }
    query = {
        "api-kpi-values": f"?kpi=calls&scope=rep&scope_id={rep.pk}&granularity=month&start=2026-11-01&end=2026-11-30",
        "api_targets": f"?scope=team&scope_id={team_a.pk}&month=2026-11",
        "api_target_history": f"?scope=team&scope_id={team_a.pk}",
        "planner": f"?team={team_a.pk}",
    }
    # What a POST sends where an empty one proves nothing: the targets page refuses a POST that names
    # no team (never falls back to one), so its row posts the team's grid with no cell; adding a
    # preview's values to a profile names the preview.
    data = {"targets": {"team": team_a.pk}, "import_profile_values": {"job": preview.pk}}
    return users, args, query, data


# The team's private data as pages and the API show it: its rep's name, its manager's import file,
# its review item's result, its chat webhook, its target as the API writes it.
MARKERS = ("佐藤 花子", "calls-tokyo.csv", "tokyo-item-result", "tokyo-hook", '"4321"')


def outcome(client: Client, method: str, url: str, data: dict | None = None) -> str:
    """The status, with "+" when the body shows the team's private data; every request is rolled back
    so that one role's write never changes what the next role meets."""
    with transaction.atomic():
        response = client.get(url) if method == "GET" else client.post(url, data or {})
        transaction.set_rollback(True)
    body = response.content.decode("utf-8", errors="replace") if response.status_code == 200 else ""
    return f"{response.status_code}{'+' if any(m in body for m in MARKERS) else ''}"


# What each role gets, in ROLES order. "200+" : the page shows the team's private data (a MARKER);
# "200" : the page answers but shows none of it; "403|404" : refused either way. Writes are sent
# as an empty POST, or with the few fields `data` names (each rolled back): an allowed role gets its
# form error or redirect, not 403/404.
# anonymous other_rep teammate manager other_manager fs marketing ops
MATRIX = [
    ("api-definition", "GET", "403 200 200 200 200 200 200 200"),
    ("api-definition", "POST", "403 405 405 405 405 405 405 405"),
    ("api-definition-decide", "GET", "403 405 405 405 405 405 405 405"),
    ("api-definition-decide", "POST", "403 403 403 200 200 200 200 403"),
    ("api-definition-draft", "GET", "403 405 405 405 405 405 405 405"),
    ("api-definition-draft", "POST", "403 400 400 400 400 400 400 400"),
    ("api-definitions", "GET", "403 200 200 200 200 200 200 200"),
    ("api-definitions", "POST", "403 405 405 405 405 405 405 405"),
    ("api-ingest-calls", "GET", "401 403 403 403 403 403 403 405"),
    ("api-ingest-calls", "POST", "401 403 403 403 403 403 403 400"),
    ("api-ingest-emails", "GET", "401 403 403 403 403 403 403 405"),
    ("api-ingest-emails", "POST", "401 403 403 403 403 403 403 400"),
    ("api-ingest-meetings", "GET", "401 403 403 403 403 403 403 405"),
    ("api-ingest-meetings", "POST", "401 403 403 403 403 403 403 400"),
    ("api-not-found", "GET", "404 404 404 404 404 404 404 404"),
    ("api-not-found", "POST", "404 404 404 404 404 404 404 404"),
    ("api-kpi-values", "GET", "403 403 403 200 403 403 403 200"),
    ("api-kpi-values", "POST", "403 405 405 405 405 405 405 405"),
    ("api_plans", "GET", "403 405 405 405 405 405 405 405"),
    ("api_plans", "POST", "403 400 400 400 400 400 400 400"),
    ("api_review_items", "GET", "403 200 200 200+ 200 200 200 200+"),
    ("api_review_items", "POST", "403 405 405 405 405 405 405 405"),
    ("api_target_history", "GET", "403 403 403 200+ 200 403 403 200+"),
    ("api_target_history", "POST", "403 405 405 405 405 405 405 405"),
    ("api_targets", "GET", "403 403 403 200+ 200 403 403 200+"),
    ("api_targets", "POST", "403 403 403 400 400 403 403 400"),
    ("call_duplicate_decide", "GET", "302 405 405 405 405 405 405 405"),
    ("call_duplicate_decide", "POST", "302 403 403 403 403 403 403 302"),
    ("feeds", "GET", "302 403 403 200 200 403 403 200+"),
    ("feeds", "POST", "302 403 403 200 200 403 403 200+"),
    ("fs_meetings", "GET", "302 403 403 403 403 200 403 200"),
    ("fs_meetings", "POST", "302 403 403 403 403 404 403 404"),
    ("holiday_delete", "GET", "405 405 405 405 405 405 405 405"),
    ("holiday_delete", "POST", "302 403 403 403 403 403 403 302"),
    ("holidays", "GET", "302 403 403 403 403 403 403 200"),
    ("holidays", "POST", "302 403 403 403 403 403 403 200"),
    ("home", "GET", "302 302 302 302 302 302 302 302"),
    ("home", "POST", "302 302 302 302 302 302 302 302"),
    ("import_job", "GET", "302 403 403 200+ 404 403 403 200+"),
    ("import_job", "POST", "302 403 403 200+ 404 403 403 200+"),
    ("import_preview", "GET", "302 403 403 200+ 404 403 403 200+"),
    ("import_preview", "POST", "302 403 403 200+ 404 403 403 200+"),
    ("import_profile", "GET", "302 403 403 403 403 403 403 200"),
    ("import_profile", "POST", "302 403 403 403 403 403 403 200"),
    ("import_profile_delete", "GET", "302 403 403 403 403 403 403 403"),
    ("import_profile_delete", "POST", "302 403 403 403 403 403 403 302"),
    ("import_profile_new", "GET", "302 403 403 403 403 403 403 200"),
    ("import_profile_new", "POST", "302 403 403 403 403 403 403 200"),
    ("import_profile_values", "GET", "302 403 403 403 403 403 403 403"),
    ("import_profile_values", "POST", "302 403 403 403 403 403 403 302"),
    ("import_start", "GET", "302 403 403 403 404 403 403 403"),
    ("import_start", "POST", "302 403 403 302 404 403 403 302"),
    ("imports", "GET", "302 403 403 200+ 200 403 403 200+"),
    ("imports", "POST", "302 403 403 200+ 200 403 403 200+"),
    ("inbox", "GET", "302 200 200 200+ 200 200 200 200"),
    ("inbox", "POST", "302 302 302 302 302 302 302 302"),
    ("inbox_badge", "GET", "302 200 200 200 200 200 200 200"),
    ("inbox_badge", "POST", "302 200 200 200 200 200 200 200"),
    ("integration_revoke", "GET", "302 403 403 403 403 403 403 403"),
    ("integration_revoke", "POST", "302 403 403 403 403 403 403 302"),
    ("integrations", "GET", "302 403 403 403 403 403 403 200"),
    ("integrations", "POST", "302 403 403 403 403 403 403 200"),
    ("job_health", "GET", "302 403 403 403 403 403 403 200"),
    ("job_health", "POST", "302 403 403 403 403 403 403 200"),
    ("kpi_decide", "GET", "405 405 405 405 405 405 405 405"),
    ("kpi_decide", "POST", "302 302 302 302 302 302 302 302"),
    ("kpi_draft", "GET", "302 302 302 200 200 200 200 200"),
    ("kpi_draft", "POST", "302 302 302 200 200 200 200 200"),
    ("kpi_sheet", "GET", "302 200 200 200 200 200 200 200"),
    ("kpi_sheet", "POST", "302 200 200 200 200 200 200 200"),
    ("lead_supply", "GET", "302 403 403 200 200 200 200 200"),
    ("lead_supply", "POST", "302 403 403 403 403 400 400 400"),
    ("leads", "GET", "302 403 403 403 403 403 200 200"),
    ("leads", "POST", "302 403 403 403 403 403 200 200"),
    ("login", "GET", "200 200 200 200 200 200 200 200"),
    ("login", "POST", "200 200 200 200 200 200 200 200"),
    ("logout", "GET", "405 405 405 405 405 405 405 405"),
    ("logout", "POST", "302 302 302 302 302 302 302 302"),
    ("marketing", "GET", "302 403 403 200 200 403 200 200"),
    ("marketing", "POST", "302 403 403 200 200 403 200 200"),
    ("my_rep_page", "GET", "302 302 302 404 404 404 404 404"),
    ("my_rep_page", "POST", "302 302 302 404 404 404 404 404"),
    ("my_team", "GET", "302 302 302 302 302 403 403 302"),
    ("my_team", "POST", "302 302 302 302 302 403 403 302"),
    ("org_board", "GET", "302 403 403 200 200 403 200 200"),
    ("org_board", "POST", "302 403 403 200 200 403 200 200"),
    ("org_structure", "GET", "302 403 403 403 403 403 403 200+"),
    ("org_structure", "POST", "302 403 403 403 403 403 403 200+"),
    ("password_set", "GET", "302 302 302 302 302 302 302 302"),
    ("password_set", "POST", "302 302 302 302 302 302 302 302"),
    ("people", "GET", "302 403 403 403 403 403 403 200+"),
    ("people", "POST", "302 403 403 403 403 403 403 200+"),
    ("person", "GET", "302 403 403 403 403 403 403 200+"),
    ("person", "POST", "302 403 403 403 403 403 403 400"),
    ("person_new", "GET", "302 403 403 403 403 403 403 200"),
    ("person_new", "POST", "302 403 403 403 403 403 403 400"),
    ("plan_apply", "GET", "302 404 403 403 404 404 404 403"),
    ("plan_apply", "POST", "302 404 403 302 404 404 404 302"),
    ("plan_detail", "GET", "302 404 403 200+ 404 404 404 200+"),
    ("plan_detail", "POST", "302 404 403 200+ 404 404 404 200+"),
    ("planner", "GET", "302 403 403 200 403 403 403 200"),
    ("planner", "POST", "302 403 403 200 403 403 403 200"),
    ("quick_log", "GET", "302 200 200 200 200 403 403 403"),
    ("quick_log", "POST", "302 302 302 302 302 403 403 403"),
    # Undo takes back only one's own quick-logged call: anyone else's is "no such call".
    ("quick_log_undo", "GET", "302 403 403 403 403 403 403 403"),
    ("quick_log_undo", "POST", "302 404 404 404 404 403 403 403"),
    ("rep_calls", "GET", "302 404 404 200+ 404 404 404 200+"),
    ("rep_calls", "POST", "302 404 404 200+ 404 404 404 200+"),
    ("rep_page", "GET", "302 404 404 200+ 404 404 404 200+"),
    ("rep_page", "POST", "302 404 404 200+ 404 404 404 200+"),
    ("review_item", "GET", "302 404 404 200+ 404 404 404 200+"),
    ("review_item", "POST", "302 404 404 200+ 404 404 404 200+"),
    ("review_items", "GET", "302 200 200 200+ 200 403 403 200+"),
    ("review_items", "POST", "302 200 200 200+ 200 403 403 200+"),
    ("review_rule_active", "GET", "405 405 405 405 405 405 405 405"),
    ("review_rule_active", "POST", "302 403 403 400 404 403 403 400"),
    ("review_rule_edit", "GET", "302 403 403 200+ 404 403 403 200+"),
    ("review_rule_edit", "POST", "302 403 403 200+ 404 403 403 200+"),
    ("review_rules", "GET", "302 403 403 200+ 200 403 403 200+"),
    ("review_rules", "POST", "302 403 403 200+ 200 403 403 200+"),
    ("targets", "GET", "302 403 403 200+ 200 403 403 200"),
    ("targets", "POST", "302 403 403 302 403 403 403 302"),
    ("team_board", "GET", "302 403 200+ 200+ 403 403 403 200+"),
    ("team_board", "POST", "302 403 200+ 200+ 403 403 403 200+"),
    ("team_webhooks", "GET", "405 405 405 405 405 405 405 405"),
    ("team_webhooks", "POST", "302 403 403 302 403 403 403 302"),
    ("today", "GET", "302 200 200 200 200 200 200 200"),
    ("today", "POST", "302 200 200 200 200 200 200 200"),
    ("weekly_review", "GET", "302 403 403 200+ 403 403 403 200+"),
    ("weekly_review", "POST", "302 403 403 200+ 403 403 403 200+"),
    ("weekly_review_home", "GET", "302 403 403 302 302 403 403 302"),
    ("weekly_review_home", "POST", "302 403 403 302 302 403 403 302"),
]

# Rows that leak today and are fixed in another change: strict, so they flip to failing once fixed.
KNOWN_LEAKS: dict[tuple[str, str], str] = {}
OUTSIDERS = ("anonymous", "other_rep", "other_manager", "fs", "marketing")


def rows() -> list:
    params = []
    for name, method, cells in MATRIX:
        leak = KNOWN_LEAKS.get((name, method))
        marks = [pytest.mark.xfail(strict=True, reason=leak)] if leak else []
        params.append(pytest.param(name, method, cells.split(), id=f"{name}-{method}", marks=marks))
    return params


def test_every_url_has_a_row_for_both_methods():
    assert sorted({(name, method) for name, method, _ in MATRIX}) == sorted(
        (name, method) for name in ALL_NAMES for method in ("GET", "POST")
    )
    assert len(MATRIX) == len({(name, method) for name, method, _ in MATRIX})


def test_the_table_expects_no_leak_to_anyone_outside_the_team():
    for name, method, cells in MATRIX:
        expected = dict(zip(ROLES, cells.split(), strict=True))
        assert [role for role in OUTSIDERS if expected[role].endswith("+")] == [], (name, method)


@pytest.mark.parametrize(("name", "method", "expected"), rows())
def test_each_role_gets_what_the_table_says(world, name, method, expected):
    users, args, query, data = world
    url = reverse(name, args=args.get(name, [])) + query.get(name, "")
    got = {}
    for role, cell in zip(ROLES, expected, strict=True):
        client = Client()
        if role != "anonymous":
            client.force_login(users[role])
        outcome_ = outcome(client, method, url, data.get(name))
        got[role] = cell if outcome_ in cell.split("|") else outcome_
    assert got == dict(zip(ROLES, expected, strict=True))
