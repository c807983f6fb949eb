"""kpi/services/feeds.py: calls two sources both sent are flagged where they enter (file and API),
ops keep one and the rollups recount it, a removed call imported again stays removed; a feed that
goes quiet or falls far below usual raises one alert a day, mailed to ops and the feed's managers."""

from datetime import date, timedelta

import pytest

from kpi.errors import ApplicationError
from kpi.models import CallDuplicate, CallLog, FeedAlert, Rollup
from kpi.services.feeds import call_duplicate_resolve, feeds_watch
from kpi.services.imports import calls_import
from kpi.services.imports.records import calls_ingest
from tests.factories import CallFactory, tokyo
from tests.kpi.services.imports.helpers import EN_HEADER, write_csv

pytestmark = pytest.mark.django_db


def _api_call(rep, external_id, at, **extra):
    return {"external_id": external_id, "rep_email": rep.email, "started_at": at, "result": "connected", **extra}


def _day_calls(rep, day) -> int:
    row = Rollup.objects.filter(scope="rep", scope_id=rep.pk, granularity="day", period_start=day).first()
    return row.calls if row else 0


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write and then its after-commit work (the rollup refresh), as a real request would."""

    def run(write, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(**kwargs)

    return run


def test_same_call_from_a_file_and_the_api_is_flagged_and_counted_twice_until_decided(tmp_path, rep, now, committed):
    batch = committed(
        calls_ingest,
        records=[
            _api_call(rep, "z-1", "2026-11-20T10:00:03+09:00", duration_seconds=90),
            _api_call(rep, "z-2", "2026-11-20T11:00:00+09:00", duration_seconds=40),
        ],
        source="zoom",
    )
    assert batch.possible_duplicates == 0
    rows = [
        ["m-1", rep.email, "2026-11-20 10:00:00", 91, "outbound", "connected", "", "", "", ""],  # z-1, 3 s apart
        ["m-2", rep.email, "2026-11-20 11:00:20", 40, "outbound", "connected", "", "", "", ""],  # 20 s: another call
    ]
    result = committed(calls_import, path=write_csv(tmp_path / "miitel.csv", EN_HEADER, rows), source="miitel")
    assert result.created == 2
    assert result.cross_source_duplicates == 1
    assert result.summary()["cross_source_duplicates"] == 1
    pair = CallDuplicate.objects.get()
    assert (pair.first_source, pair.first_external_id, pair.second_source, pair.second_external_id) == (
        "miitel",
        "m-1",
        "zoom",
        "z-1",
    )
    assert _day_calls(rep, date(2026, 11, 20)) == 4  # both kept until a person decides


def test_the_api_answers_how_many_calls_another_source_already_sent(rep, now):
    CallFactory(rep=rep, source="miitel", external_id="m-1", started_at=tokyo(2026, 11, 20, 10, 0, 0))
    batch = calls_ingest(records=[_api_call(rep, "z-1", "2026-11-20T10:00:04+09:00")], source="zoom")
    assert batch.as_dict()["possible_duplicates"] == 1


def test_a_one_call_request_finds_its_twin_at_the_window_edge_on_a_busy_day(rep, now):
    """The request looks only at its own call's minutes: a twin 5 s away is still found, one 6 s
    away is not."""
    for minute in range(0, 60, 2):  # a busy day of the other source, far from the new call
        CallFactory(rep=rep, source="miitel", external_id=f"m-{minute}", started_at=tokyo(2026, 11, 20, 14, minute))
    CallFactory(rep=rep, source="miitel", external_id="twin", started_at=tokyo(2026, 11, 20, 10, 0, 0))
    near = calls_ingest(records=[_api_call(rep, "z-1", "2026-11-20T10:00:05+09:00")], source="zoom")
    assert near.possible_duplicates == 1
    assert CallDuplicate.objects.get().second_external_id == "z-1"
    CallFactory(rep=rep, source="miitel", external_id="far", started_at=tokyo(2026, 11, 20, 12, 0, 0))
    calls_ingest(records=[_api_call(rep, "z-2", "2026-11-20T12:00:06+09:00")], source="zoom")
    assert CallDuplicate.objects.count() == 1


def test_calls_naming_two_different_leads_are_not_one_call(rep, now):
    CallFactory(rep=rep, source="miitel", external_id="m-1", lead_external_id="L-1", started_at=tokyo(2026, 11, 20, 10))
    calls_ingest(records=[_api_call(rep, "z-1", "2026-11-20T10:00:01+09:00", lead_external_id="L-2")], source="zoom")
    assert not CallDuplicate.objects.exists()


def test_keeping_one_deletes_the_other_recounts_the_day_and_a_reimport_stays_decided(
    tmp_path, rep, ops, now, committed
):
    committed(calls_ingest, records=[_api_call(rep, "z-1", "2026-11-20T10:00:00+09:00")], source="zoom")
    path = write_csv(
        tmp_path / "miitel.csv",
        EN_HEADER,
        [["m-1", rep.email, "2026-11-20 10:00:02", 30, "outbound", "connected", "", "", "", ""]],
    )
    committed(calls_import, path=path, source="miitel")
    assert _day_calls(rep, date(2026, 11, 20)) == 2
    pair = CallDuplicate.objects.get()

    committed(call_duplicate_resolve, pair_id=pair.pk, keep="second", by=ops)  # keep zoom's z-1
    pair.refresh_from_db()
    assert pair.status == CallDuplicate.Status.KEPT_SECOND
    assert pair.resolved_by == ops
    assert (pair.first_snapshot["external_id"], pair.first_snapshot["duration_seconds"]) == ("m-1", 30)
    assert pair.first_snapshot["started_local"] == "2026-11-20 10:00:02"
    assert list(CallLog.objects.values_list("source", "external_id")) == [("zoom", "z-1")]
    assert _day_calls(rep, date(2026, 11, 20)) == 1

    again = committed(calls_import, path=path, source="miitel")  # the same MiiTel export, sent again
    assert again.cross_source_duplicates == 0
    assert list(CallLog.objects.values_list("source", "external_id")) == [("zoom", "z-1")]
    assert CallDuplicate.objects.count() == 1
    assert _day_calls(rep, date(2026, 11, 20)) == 1


def test_a_pair_is_decided_once_and_only_with_a_known_choice(rep, ops, now):
    CallFactory(rep=rep, source="miitel", external_id="m-1", started_at=tokyo(2026, 11, 20, 10))
    calls_ingest(records=[_api_call(rep, "z-1", "2026-11-20T10:00:01+09:00")], source="zoom")
    pair = CallDuplicate.objects.get()
    with pytest.raises(ApplicationError):
        call_duplicate_resolve(pair_id=pair.pk, keep="both", by=ops)
    call_duplicate_resolve(pair_id=pair.pk, keep="distinct", by=ops)
    assert CallLog.objects.count() == 2
    with pytest.raises(ApplicationError) as exc:
        call_duplicate_resolve(pair_id=pair.pk, keep="first", by=ops)
    assert exc.value.status == 409
    assert CallLog.objects.count() == 2


# --- feed watch -------------------------------------------------------------------------------------


def _arrivals(rep, source: str, day: date, count: int, hour: int = 9):
    """`count` calls that arrived on `day` between 09:00 and `hour`:59 (created_at is the arrival)."""
    for i in range(count):
        at = tokyo(day.year, day.month, day.day, 9 + i % (hour - 8), (7 * i) % 60)
        call = CallFactory(rep=rep, source=source, started_at=at)
        CallLog.objects.filter(pk=call.pk).update(created_at=at)


@pytest.fixture
def four_thursdays(rep):
    """MiiTel sent 100 calls between 09:00 and 12:59 on each of the four Thursdays before 2026-11-26."""
    for weeks in range(1, 5):
        _arrivals(rep, "miitel", date(2026, 11, 26) - timedelta(weeks=weeks), 100, hour=12)


def test_a_feed_far_below_usual_is_mailed_once_to_ops_and_its_managers(
    rep, manager, ops, outsider, four_thursdays, time_machine, mailoutbox
):
    _arrivals(rep, "miitel", date(2026, 11, 26), 20, hour=12)  # 20 of a usual 100 by 13:30
    time_machine.move_to(tokyo(2026, 11, 26, 13, 30))
    assert feeds_watch() == {"feeds": 1, "raised": ["miitel:low"]}
    alert = FeedAlert.objects.get()
    assert (alert.received, alert.usual) == (20, 100)
    assert sorted(m.to[0] for m in mailoutbox) == [manager.email, ops.email]
    assert "20" in mailoutbox[0].body and "100" in mailoutbox[0].body
    time_machine.move_to(tokyo(2026, 11, 26, 13, 45))
    assert feeds_watch()["raised"] == []  # told once a day
    assert len(mailoutbox) == 2


def test_a_feed_at_its_usual_volume_or_outside_working_hours_raises_nothing(
    rep, manager, four_thursdays, time_machine, mailoutbox
):
    _arrivals(rep, "miitel", date(2026, 11, 26), 90, hour=12)
    time_machine.move_to(tokyo(2026, 11, 26, 13, 30))
    assert feeds_watch()["raised"] == []
    time_machine.move_to(tokyo(2026, 11, 26, 20, 0))
    CallLog.objects.filter(created_at__date__gte=date(2026, 11, 26)).delete()
    assert feeds_watch()["raised"] == []  # evening: nobody is calling
    assert mailoutbox == []
