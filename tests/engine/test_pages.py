"""The KPI sheet (read, draft, approve, reject, CSV, print) and the company holidays page."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from kpi import conditions
from kpi.models import CallLog, CompanyHoliday, DefinitionVersion, Rollup, Target
from kpi.selectors.calendar import Calendar
from kpi.selectors.targets import period_target, targets_in_window
from kpi.services import definitions
from kpi.services.rollups import rollups_rebuild

from ..factories import CallFactory, tokyo

pytestmark = pytest.mark.django_db
SHEET = "/kpi-sheet/"


def draft(actor, seconds=90):
    return definitions.definition_version_draft(
        key="effective_calls",
        params={**conditions.default_params("effective_calls"), "conditions": {"min_duration_seconds": seconds}},
        effective_from=date(2026, 11, 15),
        reason="短い通話でもヒアリングできている",
        actor=actor,
    )


def en(client):
    client.cookies["django_language"] = "en"


# --- the sheet --------------------------------------------------------------------------------------


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
    assert "css/app.css" in page and "window.print()" in page
    css = (settings.BASE_DIR / "static/css/app.css").read_text()
    assert "@media print" in css and ".print-only { display: block; }" in css.split("@media print", 1)[1]


# --- holidays ---------------------------------------------------------------------------------------


def test_only_ops_manage_holidays(client, rep, manager, ops):
    for user in (rep, manager):
        client.force_login(user)
        assert client.get("/holidays/").status_code == 403
        assert client.post("/holidays/", {"date": "2026-12-28", "name": "x"}).status_code == 403
    assert not CompanyHoliday.objects.exists()


def test_ops_adds_lists_and_deletes_company_holidays(client, ops):
    client.force_login(ops)
    en(client)
    page = client.get("/holidays/", {"year": 2026}).content.decode()
    assert "文化の日" in page and "2026-11-03" in page  # public holidays alongside
    assert "244 business days in 2026" in page  # 261 weekdays - 17 public holidays on weekdays
    resp = client.post("/holidays/?year=2026", {"date": "2026-12-28", "name": "年末休業"}, follow=True)
    page = resp.content.decode()
    assert "Added 年末休業 on" in page and 'data-date="2026-12-28"' in page
    assert "243 business days in 2026" in page
    dup = client.post("/holidays/?year=2026", {"date": "2026-12-28", "name": "again"}).content.decode()
    assert "This date is already a company holiday." in dup
    missing = client.post("/holidays/?year=2026", {"date": "2026-12-29", "name": " "}).content.decode()
    assert "This field is required" in missing
    assert CompanyHoliday.objects.count() == 1
    csv = client.get("/holidays/", {"year": 2026, "format": "csv"}).content.decode("utf-8-sig").splitlines()
    assert "2026-12-28,company,年末休業" in csv and "2026-11-03,public,文化の日" in csv
    holiday = CompanyHoliday.objects.get()
    client.post(reverse("holiday_delete", args=[holiday.pk]))
    assert not CompanyHoliday.objects.exists()


def test_a_holiday_changes_pace_not_rollups(rep, client, ops):
    """November 2026 has 19 business days; a target of 38 calls is 2 a day. By 11-20 (14 business
    days) pace is 28. Closing 11-16 leaves 18 days: 38 / 18 x 13 = 27.44."""
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 16, 10))
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=38
    )
    rollups_rebuild()
    before = list(Rollup.objects.values_list("granularity", "scope", "scope_id", "period_start", "calls"))

    def pace():
        first, last = date(2026, 11, 1), date(2026, 11, 30)
        monthly = targets_in_window(kpis=["calls"], scope="rep", scope_ids=[rep.pk], first=first, last=last)
        return period_target(
            kpi="calls",
            monthly=monthly,
            scope_id=rep.pk,
            first=first,
            last=last,
            as_of=date(2026, 11, 20),
            calendar=Calendar.for_months(first, last),
        )

    assert pace().expected == Decimal(28)
    client.force_login(ops)
    client.post("/holidays/", {"date": "2026-11-16", "name": "創立記念日"})
    assert pace().expected.quantize(Decimal("0.01")) == Decimal("27.44")
    assert list(Rollup.objects.values_list("granularity", "scope", "scope_id", "period_start", "calls")) == before
