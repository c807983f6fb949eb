"""Bad input through the pages' forms and query strings: every value of the corpus is refused with
a reason (or, in a hand-edited URL, clamped to the product's window), never a server error, and a
refused form writes no row anywhere."""

import pytest
from django.urls import reverse

from kpi.models import CallLog, Meeting, Target
from tests.factories import MeetingFactory
from tests.security.helpers import BAD_TEXT, EDGE_DATES, EDGE_DATETIMES, HUGE_NUMBERS, row_counts

pytestmark = pytest.mark.django_db

MONTHS = ["0001-01", "0001-01-01", "9999-12", "9999-12-31", "10000-01", "2000-00", "-1-01"]


def _post_refused(client, url: str, data: dict) -> None:
    before = row_counts()
    response = client.post(url, data)
    assert response.status_code < 500, (url, data)
    assert row_counts() == before, (url, data)


def _get_ok(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, url


@pytest.mark.parametrize("value", [*HUGE_NUMBERS, "90000"])
def test_quick_log_durations_out_of_range_log_nothing(client, rep, now, value):
    client.force_login(rep)
    _post_refused(client, reverse("quick_log"), {"result": "connected", "duration_seconds": value})


@pytest.mark.parametrize("value", [*EDGE_DATETIMES[:3], "2100-01-01T10:00"])
def test_quick_log_appointments_outside_the_window_are_refused(client, rep, now, value):
    client.force_login(rep)
    _post_refused(client, reverse("quick_log"), {"result": "connected", "appointment_for": value})
    # The meetings page (FS) still answers: no year-1 meeting took it down.
    assert not Meeting.objects.exists()


def test_a_quick_log_appointment_in_the_window_is_stored(client, rep, now):
    client.force_login(rep)
    client.post(reverse("quick_log"), {"result": "connected", "appointment_for": "2026-11-27T14:00"})
    assert Meeting.objects.count() == 1 and CallLog.objects.count() == 1


@pytest.mark.parametrize("value", [*HUGE_NUMBERS, "10000000000", "9999999999.99999"])
def test_target_cells_out_of_range_save_nothing(client, manager, rep, team_a, value):
    client.force_login(manager)
    data = {"team": team_a.pk, "month": "2026-11", f"v_rep_{rep.pk}_calls": value}
    _post_refused(client, reverse("targets"), data)


def test_the_largest_target_the_column_holds_is_saved(client, manager, rep, team_a):
    client.force_login(manager)
    data = {"team": team_a.pk, "month": "2026-11", f"v_rep_{rep.pk}_calls": "9999999999"}
    client.post(reverse("targets"), data)
    assert Target.objects.get(scope_id=rep.pk, kpi_key="calls").value == 9_999_999_999


@pytest.mark.parametrize("value", [*HUGE_NUMBERS, "2147483648"])
def test_lead_supply_numbers_out_of_range_save_nothing(client, marketer, value):
    client.force_login(marketer)
    _post_refused(client, reverse("lead_supply"), {"month": "2026-12", "leads_web": value})


@pytest.mark.parametrize("value", [*HUGE_NUMBERS, "100000000000000"])
def test_fs_amounts_out_of_range_record_nothing(client, fs_user, rep, now, value):
    meeting = MeetingFactory(rep=rep, fs_owner=fs_user)
    client.force_login(fs_user)
    before = row_counts()
    response = client.post(reverse("fs_meetings"), {"meeting": meeting.pk, "status": "won", "amount": value})
    assert response.status_code < 500
    assert row_counts() == before
    meeting.refresh_from_db()
    assert (meeting.status, meeting.amount) == ("scheduled", None)


@pytest.mark.parametrize(
    "field,value",
    [("goal_value", v) for v in HUGE_NUMBERS]
    + [("avg_order_amount", v) for v in HUGE_NUMBERS]
    + [("rate_connect", v) for v in [*HUGE_NUMBERS, "0.0000000001"]],
)
def test_planner_numbers_out_of_range_are_refused(client, manager, team_a, field, value):
    client.force_login(manager)
    form = {"team": team_a.pk, "month": "2026-12", "goal_kind": "revenue", "goal_value": "3000000"}
    for action in ("compute", "save"):
        _post_refused(client, reverse("planner"), {**form, field: value, "action": action})


@pytest.mark.parametrize("value", HUGE_NUMBERS)
def test_review_rule_numbers_out_of_range_save_nothing(client, manager, value):
    client.force_login(manager)
    for field in ("scope_id", "threshold_pct", "min_sample"):
        data = {"kpi_key": "calls", "scope": "team", "granularity": "month", "threshold_pct": "70", field: value}
        _post_refused(client, reverse("review_rules"), data)


@pytest.mark.parametrize("value", [*HUGE_NUMBERS, "10000000000"])
def test_review_item_targets_out_of_range_save_nothing(client, manager, item, value):
    client.force_login(manager)
    _post_refused(
        client, reverse("review_item", args=[item.pk]), {"cause": "c", "next_action": "a", "new_target": value}
    )


@pytest.mark.parametrize("value", EDGE_DATES)
def test_review_item_recheck_days_outside_the_window_save_nothing(client, manager, item, value):
    client.force_login(manager)
    _post_refused(
        client, reverse("review_item", args=[item.pk]), {"cause": "c", "next_action": "a", "recheck_on": value}
    )


@pytest.mark.parametrize("value", EDGE_DATES)
def test_company_holidays_outside_the_window_save_nothing(client, ops, value):
    client.force_login(ops)
    _post_refused(client, reverse("holidays"), {"date": value, "name": "創立記念日"})


@pytest.mark.parametrize("value", BAD_TEXT)
def test_text_with_nul_saves_nothing(client, ops, marketer, value):
    client.force_login(ops)
    _post_refused(client, reverse("holidays"), {"date": "2026-12-28", "name": value})
    client.force_login(marketer)
    _post_refused(client, reverse("leads"), {"company": value, "channel": "web"})


@pytest.mark.parametrize("value", EDGE_DATES)
def test_edge_days_in_board_urls_show_a_page(client, manager, team_a, value):
    client.force_login(manager)
    for granularity in ("day", "week", "month"):
        _get_ok(client, reverse("team_board", args=[team_a.pk]) + f"?g={granularity}&d={value}")
        _get_ok(client, reverse("org_board") + f"?g={granularity}&d={value}")


@pytest.mark.parametrize("value", MONTHS)
def test_edge_months_in_urls_show_a_page(client, manager, marketer, team_a, value):
    client.force_login(manager)
    _get_ok(client, reverse("targets") + f"?team={team_a.pk}&month={value}")
    _get_ok(client, reverse("planner") + f"?team={team_a.pk}&month={value}")
    client.force_login(marketer)
    _get_ok(client, reverse("lead_supply") + f"?month={value}")


def test_a_far_month_shows_a_month_inside_the_window(client, manager, team_a, now):
    client.force_login(manager)
    # now is 2026-11-20 (tests/kpi/conftest.py): the window runs from 2000-01 to December 2027. The
    # targets page reads a month outside it as no month: it shows the current one.
    for far in ("9999-12", "0001-01"):
        page = client.get(reverse("targets") + f"?team={team_a.pk}&month={far}")
        assert page.status_code == 200 and page.context["start"].isoformat() == "2026-11-01"
