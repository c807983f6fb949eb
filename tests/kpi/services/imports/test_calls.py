"""kpi/services/imports/calls.py, the call-log import: encodings, headers, strictness, idempotency,
follow-ups and rollups; input that used to crash is refused row by row."""

from datetime import date

import pytest
from django.db import connection

from kpi.models import CallLog, ImportProfile, Lead, Meeting, Rollup
from kpi.services.imports import calls_import
from kpi.services.imports.store import Stage
from tests.factories import CallFactory, EmailFactory, tokyo
from tests.kpi.services.imports.helpers import EN_HEADER, JA_HEADER, en_rows, write_csv

pytestmark = pytest.mark.django_db


def test_file_with_huge_duration_nul_or_year_one_is_refused_row_by_row(tmp_path, rep, now):
    rows = [
        ["c-1", rep.email, "2026-11-20 10:00", 99_999_999_999, "outbound", "connected", "", "", "", ""],
        ["c-2", rep.email, "2026-11-20 10:00", 10, "outbound", "connected", "", "", "", "note\x00"],
        ["c-3", rep.email, "0001-01-01T00:00:00+09:00", 10, "outbound", "connected", "", "", "", ""],
        ["c-4", rep.email, "2026-11-20 10:00", 86_400, "outbound", "connected", "", "", "", ""],
    ]
    result = calls_import(path=write_csv(tmp_path / "calls.csv", EN_HEADER, rows), source="zoom")
    assert [(e["row"], e["column"], e["code"]) for e in result.errors] == [
        (2, "duration_seconds", "duration_too_long"),
        (3, "note", "nul_character"),
        (4, "started_at", "bad_date"),
    ]
    assert CallLog.objects.count() == 0


def ja_rows(rep_email: str) -> list[list]:
    return [
        ["c-1", rep_email, "2026-11-20 09:05:00", 0, "発信", "不在", "いいえ", "いいえ", "L-1", "不在でした"],
        ["c-2", rep_email, "2026-11-20 10:15:00", 150, "発信", "通話", "はい", "はい", "L-1", "決裁者と会話"],
        ["c-3", rep_email, "2026-11-20T01:30:00+00:00", 30, "着信", "受付ブロック", "いいえ", "いいえ", "", ""],
    ]


def stored(source: str) -> list[tuple]:
    return list(
        CallLog.objects.filter(source=source)
        .order_by("external_id")
        .values_list(
            "external_id",
            "started_at",
            "local_date",
            "local_hour",
            "duration_seconds",
            "direction",
            "result",
            "reached_target",
            "appointment_set",
            "is_follow_up",
            "lead_external_id",
            "note",
        )
    )


@pytest.mark.parametrize(
    ("encoding", "header", "rows"),
    [
        ("cp932", JA_HEADER, ja_rows),
        ("utf-8-sig", JA_HEADER, ja_rows),
        ("utf-8", JA_HEADER, ja_rows),
        ("utf-8", EN_HEADER, en_rows),
        ("utf-8-sig", EN_HEADER, en_rows),
        ("cp932", EN_HEADER, en_rows),
    ],
)
def test_every_encoding_and_header_language_imports_the_same_rows(
    tmp_path, rep, now, encoding, header, rows, django_capture_on_commit_callbacks
):
    path = write_csv(tmp_path / "calls.csv", header, rows(rep.email), encoding)
    with django_capture_on_commit_callbacks(execute=True):
        result = calls_import(path=path, source="miitel")
    assert not result.refused, result.errors
    assert result.encoding == encoding
    assert (result.rows, result.created, result.unchanged) == (3, 3, 0)
    assert stored("miitel") == [
        (
            "c-1",
            tokyo(2026, 11, 20, 9, 5),
            date(2026, 11, 20),
            9,
            0,
            "outbound",
            "no_answer",
            False,
            False,
            False,
            "L-1",
            "不在でした",
        ),
        (
            "c-2",
            tokyo(2026, 11, 20, 10, 15),
            date(2026, 11, 20),
            10,
            150,
            "outbound",
            "connected",
            True,
            True,
            True,
            "L-1",
            "決裁者と会話",
        ),
        (
            "c-3",
            tokyo(2026, 11, 20, 10, 30),
            date(2026, 11, 20),
            10,
            30,
            "inbound",
            "gatekeeper",
            False,
            False,
            False,
            "",
            "",
        ),
    ]
    # The appointment became a meeting handed to FS, on the rep and day it was set.
    meeting = Meeting.objects.get()
    assert (meeting.source, meeting.external_id, meeting.rep, meeting.local_date) == (
        "miitel",
        "c-2",
        rep,
        date(2026, 11, 20),
    )
    assert meeting.call.external_id == "c-2"
    # The touched rep-day was refreshed after commit: 2 outbound calls, 1 connect (>= 1 s), 1 effective.
    day = Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=date(2026, 11, 20))
    assert (day.calls, day.connects, day.effective_calls, day.meetings, day.follow_ups) == (2, 1, 1, 1, 1)


def test_cp932_only_characters_are_read(tmp_path, rep, now):
    rows = [["c-1", rep.email, "2026/11/20 9:05", 0, "発信", "不在", "", "", "", "㈱サンプル ①"]]
    path = write_csv(tmp_path / "calls.csv", JA_HEADER, rows, "cp932")
    result = calls_import(path=path, source="zoom")
    assert result.encoding == "cp932"
    assert CallLog.objects.get().note == "㈱サンプル ①"


def test_one_bad_row_among_ten_thousand_refuses_the_file(tmp_path, rep, now):
    rows = [
        [f"c-{i}", rep.email, "2026-11-19 10:00:00", 60, "outbound", "connected", "", "", "", ""] for i in range(10_000)
    ]
    rows[7_321][3] = "-5"
    path = write_csv(tmp_path / "calls.csv", EN_HEADER, rows)
    result = calls_import(path=path, source="zoom")
    assert result.refused
    assert result.errors == [{"row": 7_323, "column": "duration_seconds", "code": "negative_duration", "value": "-5"}]
    assert (result.error_count, result.bad_rows, result.created) == (1, 1, 0)
    assert CallLog.objects.count() == 0


def test_every_bad_row_is_listed_with_column_and_reason(tmp_path, rep, manager, fs_user, now):
    rows = [
        ["c-1", rep.email, "2026-02-30 10:00", 10, "outbound", "connected", "", "", "", ""],
        ["c-2", "nobody@example.jp", "2026-11-20 10:00", 10, "outbound", "connected", "", "", "", ""],
        ["c-3", rep.email, "2026-11-20 10:00", 10, "sideways", "maybe", "perhaps", "", "", ""],
        ["", fs_user.email, "2026-11-20 10:00", "abc", "outbound", "", "", "", "", ""],
        ["c-5", manager.email, "2026-11-20 10:00", 10, "outbound", "busy", "", "", "", ""],
        ["c-5", rep.email, "2026-11-20 10:00", 10, "outbound", "busy", "", "", "", ""],
    ]
    path = write_csv(tmp_path / "calls.csv", EN_HEADER, rows)
    result = calls_import(path=path, source="zoom")
    assert [(e["row"], e["column"], e["code"]) for e in result.errors] == [
        (2, "started_at", "bad_date"),
        (3, "rep_email", "unknown_rep"),
        (4, "direction", "unknown_direction"),
        (4, "result", "unknown_result"),
        (4, "reached_target", "bad_boolean"),
        (5, "external_id", "required"),
        (5, "rep_email", "not_is_rep"),
        (5, "duration_seconds", "bad_number"),
        (5, "result", "required"),
        (7, "external_id", "duplicate_in_file"),
    ]
    assert result.bad_rows == 5
    assert CallLog.objects.count() == 0


def test_missing_required_column_refuses_the_file(tmp_path, rep, now):
    path = write_csv(tmp_path / "calls.csv", ["external_id", "started_at", "result"], [["c-1", "2026-11-20", "busy"]])
    result = calls_import(path=path)
    assert result.refused
    assert result.errors == [{"row": 1, "column": "rep_email", "code": "missing_column", "value": ""}]


def test_not_a_text_file_is_refused(tmp_path, rep):
    path = tmp_path / "calls.csv"
    path.write_bytes(b"\x81\x00\xff\xfe" * 100)
    result = calls_import(path=path)
    assert result.refused
    assert result.errors[0]["code"] == "unreadable"


def test_importing_the_same_file_twice_leaves_one_copy(tmp_path, rep, now, django_capture_on_commit_callbacks):
    path = write_csv(tmp_path / "calls.csv", EN_HEADER, en_rows(rep.email))
    with django_capture_on_commit_callbacks(execute=True):
        first = calls_import(path=path, source="zoom")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = calls_import(path=path, source="zoom")
    assert (first.created, second.created, second.unchanged) == (3, 0, 3)
    assert callbacks == []  # nothing new, no rollup refresh
    assert CallLog.objects.count() == 3
    assert Meeting.objects.count() == 1
    # Another source with the same ids is another set of calls.
    assert calls_import(path=path, source="miitel").created == 3


def test_dry_run_counts_new_and_present_per_rep_and_day_and_stores_nothing(tmp_path, rep, teammate, now):
    CallFactory(rep=rep, source="zoom", external_id="c-1")
    extra = ["t-1", teammate.email, "2026-11-19 10:00", 5, "outbound", "connected", "", "", "", ""]
    rows = [*en_rows(rep.email), extra]
    path = write_csv(tmp_path / "calls.csv", EN_HEADER, rows)
    result = calls_import(path=path, source="zoom", dry_run=True)
    assert result.per_rep_day == [
        {"rep": "mate@example.jp", "day": "2026-11-19", "rows": 1, "new": 1, "present": 0},
        {"rep": "rep@example.jp", "day": "2026-11-20", "rows": 3, "new": 2, "present": 1},
    ]
    assert (result.created, result.unchanged) == (3, 1)
    assert CallLog.objects.count() == 1


def test_follow_up_counts_earlier_calls_and_emails_of_the_lead(tmp_path, rep, now):
    EmailFactory(rep=rep, lead_external_id="L-9", sent_at=tokyo(2026, 11, 18, 9, 0))
    rows = [
        ["a", rep.email, "2026-11-19 10:00", 0, "outbound", "no_answer", "", "", "L-9", ""],
        ["b", rep.email, "2026-11-19 10:00", 0, "outbound", "no_answer", "", "", "L-7", ""],
        ["c", rep.email, "2026-11-19 11:00", 0, "outbound", "no_answer", "", "", "L-7", ""],
        ["d", rep.email, "2026-11-19 11:00", 0, "outbound", "no_answer", "", "", "", ""],
    ]
    calls_import(path=write_csv(tmp_path / "calls.csv", EN_HEADER, rows), source="zoom")
    assert dict(CallLog.objects.values_list("external_id", "is_follow_up")) == {
        "a": True,
        "b": False,
        "c": True,
        "d": False,
    }


def test_saved_mapping_reads_a_phone_systems_export(tmp_path, rep, now):
    mapping = ImportProfile.objects.create(
        name="Zoom Phone",
        columns={
            "external_id": "Call ID",
            "rep_email": "User Email",
            "started_at": "Date / Time",
            "duration_seconds": "Duration (sec)",
            "result": "Result",
        },
    )
    header = ["Call ID", "User Email", "Date / Time", "Duration (sec)", "Result", "Caller Number"]
    rows = [["z-1", rep.email, "2026-11-20 10:00:00", 61, "Connected", "03-0000-0000"]]
    result = calls_import(path=write_csv(tmp_path / "z.csv", header, rows), source="zoom", mapping=mapping.columns)
    assert result.created == 1
    call = CallLog.objects.get()
    assert (call.duration_seconds, call.result, call.direction) == (61, "connected", "outbound")


def test_a_repeated_id_alone_refuses_the_file(tmp_path, rep, now):
    # No row is bad on its own: the repeat is found while storing, and nothing stays stored.
    rows = [*en_rows(rep.email), ["c-2", rep.email, "2026-11-20 11:00", 5, "outbound", "busy", "", "", "", ""]]
    result = calls_import(path=write_csv(tmp_path / "calls.csv", EN_HEADER, rows), source="zoom")
    assert result.refused
    assert result.errors == [{"row": 5, "column": "external_id", "code": "duplicate_in_file", "value": "c-2"}]
    assert (result.bad_rows, result.created) == (1, 0)
    assert CallLog.objects.count() == 0
    assert Meeting.objects.count() == 0


def test_a_repeated_id_that_is_already_stored_still_refuses_the_file(tmp_path, rep, now):
    CallFactory(rep=rep, source="zoom", external_id="c-1")
    rows = [*en_rows(rep.email), ["c-1", rep.email, "2026-11-20 11:00", 5, "outbound", "busy", "", "", "", ""]]
    result = calls_import(path=write_csv(tmp_path / "calls.csv", EN_HEADER, rows), source="zoom")
    assert result.refused
    assert [(e["row"], e["code"]) for e in result.errors] == [(5, "duplicate_in_file")]
    assert list(CallLog.objects.values_list("external_id", flat=True)) == ["c-1"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite (the demo) has one writer: no race")
def test_ids_another_import_stores_meanwhile_are_left_to_it(tmp_path, rep, now, monkeypatch):
    """The plain insert fails on the other import's row; the rows go in again, skipping it."""
    prepare = Stage._prepare

    def other_import_commits_c2(self, source):
        present = prepare(self, source)
        CallFactory(rep=rep, source="zoom", external_id="c-2", duration_seconds=7)
        return present

    monkeypatch.setattr(Stage, "_prepare", other_import_commits_c2)
    result = calls_import(path=write_csv(tmp_path / "calls.csv", EN_HEADER, en_rows(rep.email)), source="zoom")
    assert not result.refused
    assert (result.rows, result.created, result.unchanged) == (3, 2, 1)
    assert dict(CallLog.objects.values_list("external_id", "duration_seconds")) == {"c-1": 0, "c-2": 7, "c-3": 30}
    assert result.per_rep_day == [{"rep": rep.email, "day": "2026-11-20", "rows": 3, "new": 2, "present": 1}]


def test_notes_keep_tabs_backslashes_and_line_breaks(tmp_path, rep, now):
    note = "two\r\nlines\tand \\ back \\N"
    rows = [["c-1", rep.email, "2026-11-20 10:00", 0, "outbound", "busy", "", "", "", f'"{note}"']]
    result = calls_import(path=write_csv(tmp_path / "calls.csv", EN_HEADER, rows), source="zoom")
    assert (result.refused, result.created) == (False, 1)
    assert CallLog.objects.get().note == note


def test_follow_ups_and_lead_links_come_from_calls_already_stored(tmp_path, rep, now):
    # An earlier call of L-5 from another system; the lead L-6 is known to marketing (two sources).
    CallFactory(rep=rep, source="miitel", lead_external_id="L-5", started_at=tokyo(2026, 11, 19, 9, 0))
    first = Lead.objects.create(source="web", external_id="L-6", created_at=tokyo(2026, 11, 1, 9, 0))
    Lead.objects.create(source="fair", external_id="L-6", created_at=tokyo(2026, 11, 2, 9, 0))
    rows = [
        ["a", rep.email, "2026-11-19 08:00", 0, "outbound", "no_answer", "", "", "L-5", ""],
        ["b", rep.email, "2026-11-19 10:00", 0, "outbound", "no_answer", "", "", "L-5", ""],
        ["c", rep.email, "2026-11-19 10:00", 0, "outbound", "no_answer", "", "", "L-6", ""],
    ]
    calls_import(path=write_csv(tmp_path / "calls.csv", EN_HEADER, rows), source="zoom")
    stored = {c.external_id: (c.is_follow_up, c.lead_id) for c in CallLog.objects.filter(source="zoom")}
    assert stored == {"a": (False, None), "b": (True, None), "c": (False, first.pk)}
