"""kpi/views/kpi_sheet.py: the KPI sheet (read, draft, approve, reject, CSV, print), which call results
count, and bad input that writes nothing."""

from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from kpi import conditions
from kpi.forms.kpi_sheet import DecisionForm
from kpi.models import CallLog, DefinitionApproval, DefinitionVersion, Rollup
from kpi.services import definitions
from kpi.services.rollups import rollups_rebuild
from tests.factories import CallFactory, tokyo
from tests.kpi.helpers import agree
from tests.kpi.views.helpers import en

pytestmark = pytest.mark.django_db

NOV1, NOV10 = date(2026, 11, 1), date(2026, 11, 10)


@pytest.mark.parametrize(
    ("lang", "label", "connected"),
    [("en", "Call results that count", "Connected"), ("ja", "カウントする通話結果", "通話")],
)
def test_the_sheet_shows_which_results_count(client, rep, manager, fs_user, marketer, lang, label, connected):
    agree("connects", {"min_duration_seconds": 1, "results": ["connected", "gatekeeper"]}, manager, fs_user, marketer)
    client.force_login(rep)
    client.cookies["django_language"] = lang
    page = client.get(reverse("kpi_sheet")).content.decode()
    assert label in page
    assert connected in page
    # effective_calls still counts every result, and says so in one word
    assert ("All" if lang == "en" else "すべて") in page


SHEET = "/kpi-sheet/"


def draft(actor, seconds=90):
    return definitions.definition_version_draft(
        key="effective_calls",
        params={**conditions.default_params("effective_calls"), "conditions": {"min_duration_seconds": seconds}},
        effective_from=date(2026, 11, 15),
        reason="短い通話でもヒアリングできている",
        actor=actor,
    )


def test_sheet_lists_every_definition_with_formula_conditions_and_version(client, rep):
    client.force_login(rep)
    page = client.get(SHEET).content.decode()
    assert page.count('class="card kpi-def"') == 26
    assert "接続し、通話時間がしきい値以上で、対象の通話結果の発信" in page  # formula in Japanese by default
    assert "120 秒" in page or "120 s" in page
    en(client)
    page = client.get(SHEET).content.decode()
    assert "Connected calls lasting at least the threshold, with a result that counts" in page
    assert "Version 1 · from 2000-01-01" in page
    assert "Minimum call duration (seconds)" in page and "120 s" in page
    assert "meetings / connects (denominator chosen by the definition)" in page


def test_rep_reads_the_sheet_but_sees_no_draft_or_decision_controls(client, rep, manager):
    draft(manager)
    client.force_login(rep)
    en(client)
    page = client.get(SHEET).content.decode()
    assert "Draft version 2" in page
    assert "Propose a change" not in page and 'name="decision"' not in page
    assert client.get(reverse("kpi_draft", args=["effective_calls"])).status_code == 302
    version = DefinitionVersion.objects.get(number=2)
    client.post(reverse("kpi_decide", args=[version.pk]), {"decision": "approve"})
    assert not version.approvals.exists()


def test_manager_drafts_from_the_page_and_sees_it_pending(client, manager):
    client.force_login(manager)
    en(client)
    url = reverse("kpi_draft", args=["effective_calls"])
    form = client.get(url).content.decode()
    assert 'name="c_min_duration_seconds"' in form and 'value="120"' in form
    resp = client.post(
        url,
        {
            "c_min_duration_seconds": "90",
            "c_results": ["connected", "voicemail"],
            "unit": "count",
            "direction": "higher",
            "review_cadence": "monthly",
            "effective_from": "2026-11-15",
            "reason": "Shorter talks already carry a hearing",
        },
        follow=True,
    )
    page = resp.content.decode()
    assert "Version 2 of Effective conversations is drafted" in page
    assert "Draft version 2 · from 2026-11-15 · waiting for approval" in page
    version = DefinitionVersion.objects.get(definition__key="effective_calls", number=2)
    assert version.params["conditions"] == {"min_duration_seconds": 90, "results": ["connected", "voicemail"]}
    assert version.created_by == manager
    assert version.status == "draft"
    # The manager signs for IS right there.
    assert f'action="{reverse("kpi_decide", args=[version.pk])}"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"c_min_duration_seconds": "-1"}, "greater than or equal to 0"),
        ({"c_min_duration_seconds": "abc"}, "Enter a whole number"),
        ({"reason": ""}, "This field is required"),
        ({"effective_from": "2026-02-30"}, "Enter a valid date"),
        ({"effective_from": "1999-12-31"}, "must be on or after 2000-01-01"),
    ],
)
def test_draft_form_shows_validation_errors_and_saves_nothing(client, manager, data, message):
    client.force_login(manager)
    en(client)
    body = {
        "c_min_duration_seconds": "90",
        "c_results": ["connected"],
        "unit": "count",
        "direction": "higher",
        "review_cadence": "monthly",
        "effective_from": "2026-11-15",
        "reason": "x",
        **data,
    }
    resp = client.post(reverse("kpi_draft", args=["effective_calls"]), body)
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert not DefinitionVersion.objects.filter(status="draft").exists()


def test_meeting_rate_form_offers_the_denominator_choices(client, marketer):
    client.force_login(marketer)
    page = client.get(reverse("kpi_draft", args=["meeting_rate"])).content.decode()
    for key in ("connects", "effective_calls", "target_connects", "calls"):
        assert f'value="{key}"' in page
    assert client.get(reverse("kpi_draft", args=["nope"])).status_code == 404


def test_approve_and_reject_from_the_page_by_department(
    client, rep, manager, fs_user, marketer, django_capture_on_commit_callbacks
):
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 20, 10), duration_seconds=100, result=CallLog.Result.CONNECTED)
    rollups_rebuild()
    version = draft(manager)
    url = reverse("kpi_decide", args=[version.pk])
    with django_capture_on_commit_callbacks(execute=True):
        for user in (manager, fs_user):
            client.force_login(user)
            client.post(url, {"decision": "approve", "comment": "ok"})
        en(client)
        client.force_login(fs_user)
        again = client.post(url, {"decision": "approve"}, follow=True).content.decode()
        assert "Not recorded: fs has already decided" in again
        client.force_login(marketer)
        page = client.post(url, {"decision": "approve"}, follow=True).content.decode()
    assert "Approved version 2 of Effective conversations." in page
    assert "Version 2 · from 2026-11-15" in page
    assert Rollup.objects.get(granularity="day", scope="rep", period_start=date(2026, 11, 20)).effective_calls == 1

    rejected = draft(fs_user, seconds=60)
    client.post(reverse("kpi_decide", args=[rejected.pk]), {"decision": "reject", "comment": "too loose"})
    rejected.refresh_from_db()
    assert rejected.status == "rejected"


def test_history_and_csv(client, manager, fs_user):
    version = draft(manager)
    definitions.definition_version_decide(version_id=version.pk, actor=fs_user, approve=True)
    client.force_login(manager)
    en(client)
    page = client.get(SHEET).content.decode()
    assert 'data-action="drafted"' in page and 'data-action="approved"' in page
    assert "Minimum call duration (seconds): 120 s → 90 s · effective 2026-11-15" in page
    assert "Field sales" in page
    resp = client.get(SHEET, {"format": "csv"})
    assert resp["Content-Type"].startswith("text/csv")
    lines = resp.content.decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "key,name,formula,conditions,version,effective_from,draft_version,is_approval,fs_approval,marketing_approval"
    )
    row = next(line for line in lines if line.startswith("effective_calls,"))
    assert ",1,2000-01-01,2," in row and "pending" in row and f"approve {fs_user}" in row
    assert len(lines) == 27


def test_sheet_has_print_styles(client, rep):
    client.force_login(rep)
    page = client.get(SHEET).content.decode()
    assert "css/app.css" in page and "data-print" in page
    css = (settings.BASE_DIR / "static/css/app.css").read_text()
    assert "@media print" in css and ".print-only { display: block; }" in css.split("@media print", 1)[1]


@pytest.fixture
def connects_draft(manager):
    return definitions.definition_version_draft(
        key="connects",
        params=conditions.default_params("connects"),
        effective_from=date(2026, 12, 1),
        reason="check",
        actor=manager,
    )


def test_decide_page_answers_404_for_a_missing_version(client, manager):
    client.force_login(manager)
    assert client.post(reverse("kpi_decide", args=[999_999]), {"decision": "approve"}).status_code == 404


def test_decide_page_refuses_an_unknown_decision_and_writes_nothing(client, manager, connects_draft):
    client.force_login(manager)
    resp = client.post(reverse("kpi_decide", args=[connects_draft.pk]), {"decision": "maybe"}, follow=True)
    assert resp.status_code == 200
    assert not DefinitionApproval.objects.exists()
    assert not DecisionForm({"decision": "maybe"}).is_valid()
    assert DecisionForm({"decision": "reject"}).is_valid()


def test_draft_page_with_bad_input_writes_nothing(client, manager):
    client.force_login(manager)
    resp = client.post(reverse("kpi_draft", args=["connects"]), {"c_min_duration_seconds": "x", "reason": ""})
    assert resp.status_code == 200 and "has-error" in resp.content.decode()
    assert not DefinitionVersion.objects.filter(status=DefinitionVersion.Status.DRAFT).exists()
