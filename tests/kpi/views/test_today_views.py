"""kpi/views/today.py: quick-log updates today's numbers; a bad one writes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from kpi.models import CallLog, Meeting, Rollup, Target
from tests.factories import tokyo

pytestmark = pytest.mark.django_db


def test_quick_log_updates_todays_numbers(client, rep, now, django_capture_on_commit_callbacks):
    client.force_login(rep)
    assert client.get(reverse("quick_log")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quick_log"), {"result": "connected", "duration_seconds": "150"})
        client.post(reverse("quick_log"), {"result": "no_answer"})
        client.post(reverse("quick_log"), {"result": "connected", "appointment_for": "2026-11-27T14:00"})
    day = Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 20))
    assert (day.calls, day.connects, day.effective_calls, day.meetings) == (3, 2, 1, 1)
    meeting = Meeting.objects.get()
    assert meeting.scheduled_for == tokyo(2026, 11, 27, 14, 0)


@pytest.mark.parametrize("duration", ["-5", "abc", "90000"])
def test_a_bad_quick_log_writes_nothing(client, rep, duration):
    client.force_login(rep)
    response = client.post(reverse("quick_log"), {"result": "connected", "duration_seconds": duration}, follow=True)
    assert CallLog.objects.count() == 0
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_today_tiles_at_9_are_not_0_percent_red(client, rep, time_machine):
    # 100 calls a day (1,900 over November's 19 business days); at 09:00 nothing of today is due yet.
    time_machine.move_to(tokyo(2026, 11, 20, 9, 0))
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=1900
    )
    client.force_login(rep)
    html = client.get(reverse("today")).content.decode()
    today_card = html.split('id="card-today"')[1].split("</section>")[0]
    calls_tile = today_card.split('data-kpi="calls"')[0].rsplit("<div", 1)[1]
    assert "status-none" in calls_tile and "status-red" not in today_card


def test_a_fractional_count_target_reads_as_a_whole_number(client, rep, time_machine):
    # 16 meetings over November's 19 business days is 0.84 a day: the rep reads 1, not 0.8.
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    Target.objects.create(
        kpi_key="meetings", scope="rep", scope_id=rep.pk, granularity="month", period_start=date(2026, 11, 1), value=16
    )
    client.force_login(rep)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("today")).content.decode()
    tile = html.split('id="card-today"')[1].split('data-kpi="meetings"')[1].split("</div>\n    </div>")[0]
    assert "Target 1" in " ".join(tile.split()) and "0.8" not in tile


def test_the_latest_call_has_an_undo_button_for_2_minutes(client, rep, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 11, 0), tick=False)
    client.force_login(rep)
    client.post(reverse("quick_log"), {"result": "busy"})
    call = CallLog.objects.get()
    assert f'data-undo="{call.pk}"' in client.get(reverse("quick_log")).content.decode()
    response = client.post(reverse("quick_log_undo", args=[call.pk]), follow=True)
    assert not CallLog.objects.exists()
    assert [str(m) for m in response.context["messages"]] == ["架電を記録しました。", "架電を取り消しました。"]
    client.post(reverse("quick_log"), {"result": "busy"})
    time_machine.move_to(tokyo(2026, 11, 20, 11, 3), tick=False)
    assert "data-undo" not in client.get(reverse("quick_log")).content.decode()
    assert client.get(reverse("quick_log_undo", args=[CallLog.objects.get().pk])).status_code == 403
