"""kpi/services/imports/profiles.py and the built-in presets (mappings.py): each tool's own export,
as the tool writes it, imports with no hand edits and gives the hand-counted KPI figures; what used to
be stored silently wrong is refused or reported."""

from datetime import date

import pytest
from django.utils import translation

from kpi.models import CallLog, ImportProfile, RepAlias, Rollup
from kpi.services.imports import calls_import
from kpi.services.imports.errors import reason_text
from kpi.services.imports.mappings import import_profile_named
from kpi.services.imports.profiles import parse_duration, parse_moment, profile_preview
from tests.factories import tokyo
from tests.kpi.services.imports.helpers import write_csv

pytestmark = pytest.mark.django_db

MIITEL_HEADER = [
    "通話種別",
    "シーケンス ID",
    "ユーザー名",
    "発信元",
    "発信先",
    "取引先会社名",
    "取引先担当者名",
    "ダイヤル開始日時",
    "通話開始日時",
    "通話終了日時",
    "呼出時間",
    "通話時間",
    "応対メモ",
]


def miitel_rows(rep_name: str, mate_name: str) -> list[list]:
    day = "2026/11/20"
    return [
        ["発信", "S-1001", rep_name, "03-1234-5678", "090-1111-2222", "㈱サンプル", "山田", f"{day} 09:05:00",
         f"{day} 09:05:12", f"{day} 09:07:27", "00:00:12", "00:02:15", "決裁者と会話"],
        ["発信 (不在)", "S-1002", "-", "03-1234-5678", "090-1111-3333", "㈱テスト", "", f"{day} 09:10:00",
         "", "", "00:00:30", "00:00:00", ""],
        ["発信 (不在)", "S-1003", rep_name, "03-1234-5678", "090-1111-4444", "", "", f"{day} 10:00:00",
         "", "", "00:00:25", "", ""],
        ["着信", "S-1004", rep_name, "090-5555-6666", "03-1234-5678", "", "", f"{day} 11:00:00",
         f"{day} 11:00:05", f"{day} 11:05:05", "00:00:05", "00:05:00", "折り返し"],
        ["着信 (不在)", "S-1005", "-", "090-7777-8888", "03-9999-0000", "", "", f"{day} 12:00:00",
         "", "", "00:00:20", "00:00:00", ""],
        ["内線", "S-1006", rep_name, "201", "202", "", "", f"{day} 12:30:00",
         f"{day} 12:30:02", f"{day} 12:31:02", "00:00:02", "00:01:00", ""],
        ["発信", "S-1007", mate_name, "03-1234-0001", "090-2222-1111", "", "", f"{day} 13:00:00",
         f"{day} 13:00:10", f"{day} 13:01:15", "00:00:10", "00:01:05", ""],
        ["留守番電話", "S-1008", rep_name, "090-3333-2222", "03-1234-5678", "", "", f"{day} 14:00:00",
         "", "", "00:00:00", "00:00:40", ""],
    ]  # fmt: skip


def day_figures(user, day=date(2026, 11, 20)) -> tuple:
    row = Rollup.objects.get(granularity="day", scope="rep", scope_id=user.pk, period_start=day)
    return row.calls, row.connects, row.effective_calls


def test_miitel_export_imports_as_written(tmp_path, rep, teammate, now, django_capture_on_commit_callbacks):
    RepAlias.objects.create(user=rep, alias="0312345678")  # her MiiTel number, for rows whose user is 「-」
    path = write_csv(tmp_path / "miitel.csv", MIITEL_HEADER, miitel_rows("佐藤 花子", "鈴木一郎"), "cp932")
    with django_capture_on_commit_callbacks(execute=True):
        result = calls_import(path=path, source="miitel", profile=import_profile_named("miitel"))
    assert not result.refused, result.errors
    # 内線 is no sales call and the missed inbound call names no user: both counted, not imported.
    assert (result.rows, result.created) == (6, 6)
    assert result.warning_counts == [{"code": "skipped_value", "count": 1}, {"code": "unassigned_inbound", "count": 1}]
    stored = dict(CallLog.objects.values_list("external_id", "duration_seconds"))
    assert stored == {"S-1001": 135, "S-1002": 0, "S-1003": 0, "S-1004": 300, "S-1007": 65, "S-1008": 40}
    by_alias = CallLog.objects.get(external_id="S-1002")
    assert (by_alias.rep, by_alias.result, by_alias.direction, by_alias.local_hour) == (rep, "no_answer", "outbound", 9)
    # Outbound: S-1001 (135 s), S-1002 and S-1003 (unanswered): 3 calls, 1 connect, 1 effective (>= 120 s).
    assert day_figures(rep) == (3, 1, 1)
    assert day_figures(teammate) == (1, 1, 0)


def test_miitel_outbound_row_with_no_user_is_refused_never_dropped(tmp_path, rep, now):
    """Without the number as an alias, the 「-」 row cannot be attributed: dropping it would make the
    connect rate 100 %. Today's mapping could not read the file at all."""
    rows = miitel_rows("佐藤 花子", "鈴木 一郎")[:2]
    path = write_csv(tmp_path / "miitel.csv", MIITEL_HEADER, rows, "cp932")
    result = calls_import(path=path, source="miitel", profile=import_profile_named("miitel"))
    assert result.refused
    assert [(e["row"], e["column"], e["code"], e["value"]) for e in result.errors] == [
        (3, "rep_email", "no_rep_in_source", "- 03-1234-5678")
    ]
    assert CallLog.objects.count() == 0


ZOOM_HEADER = [
    "email",
    "dept",
    "job_title",
    "caller_number",
    "caller_number_type",
    "caller_name",
    "callee_number",
    "callee_number_type",
    "callee_name",
    "direction",
    "duration",
    "result",
    "date_time",
]


def zoom_rows(email: str) -> list[list]:
    def row(callee, direction, duration, result, moment):
        return [email, "IS", "", "+81312345678", "internal", "佐藤 花子", callee, "pstn", "", direction, duration,
                result, moment]  # fmt: skip

    return [
        row("+819011112222", "outbound", 135, "Call connected", "2026-11-20T00:33:05Z"),
        row("+819011113333", "outbound", 0, "No Answer", "2026-11-20T01:00:00Z"),
        row("+819011114444", "outbound", 0, "Busy", "2026-11-20T01:05:00Z"),
        row("+819011115555", "outbound", 20, "Voicemail", "2026-11-20T01:10:00Z"),
        row("+819011116666", "inbound", 60, "Call connected", "2026-11-20T02:00:00Z"),
        # No offset written: the preset says Zoom writes UTC, so this is 12:00 in Tokyo, not 03:00.
        row("+819011117777", "outbound", 150, "Call connected", "2026-11-20 03:00:00"),
    ]


def test_zoom_phone_log_without_call_ids_imports_idempotently(tmp_path, rep, now, django_capture_on_commit_callbacks):
    path = write_csv(tmp_path / "zoom.csv", ZOOM_HEADER, zoom_rows(rep.email))
    profile = import_profile_named("zoom-phone")
    with django_capture_on_commit_callbacks(execute=True):
        result = calls_import(path=path, source="zoom-phone", profile=profile)
    assert (result.refused, result.created) == (False, 6), result.errors
    hours = sorted(CallLog.objects.values_list("local_hour", flat=True))
    assert hours == [9, 10, 10, 10, 11, 12]
    assert day_figures(rep) == (5, 3, 2)
    again = calls_import(path=path, source="zoom-phone", profile=profile)
    assert (again.created, again.unchanged) == (0, 6)


def test_a_utc_time_without_offset_is_read_in_the_profiles_zone(tmp_path, rep, now):
    """Today a naive UTC time is read as Tokyo time, 9 hours off."""
    path = write_csv(tmp_path / "zoom.csv", ZOOM_HEADER, zoom_rows(rep.email)[5:])
    calls_import(path=path, source="zoom-phone", profile=import_profile_named("zoom-phone"))
    assert CallLog.objects.get().started_at == tokyo(2026, 11, 20, 12, 0)


def test_a_naive_time_with_no_zone_in_the_profile_is_refused(tmp_path, rep, now):
    profile = import_profile_named("zoom-phone")
    profile.timezone = ""
    path = write_csv(tmp_path / "zoom.csv", ZOOM_HEADER, zoom_rows(rep.email)[4:])
    result = calls_import(path=path, source="zoom-phone", profile=profile)
    assert [(e["row"], e["code"]) for e in result.errors] == [(3, "naive_time")]


SF_HEADER = ["活動 ID", "件名", "任命先", "期日", "作成日", "通話種別", "通話時間 (秒)", "通話結果", "状況"]


def sf_rows() -> list[list]:
    return [
        ["00T5g00000AbCd0001", "電話: 山田様", "佐藤 花子", "2026/11/20", "2026/11/20 9:15", "発信", "185",
         "担当者と会話", "完了"],
        ["00T5g00000AbCd0002", "電話", "佐藤 花子", "2026/11/20", "2026/11/20 9:40", "発信", "",
         "呼び出しに失敗しました", "完了"],
        ["00T5g00000AbCd0003", "電話", "佐藤 花子", "2026/11/20", "2026/11/20 10:05", "発信", "45", "担当者不在",
         "完了"],
        ["00T5g00000AbCd0004", "電話: 折り返し", "鈴木 一郎", "2026/11/20", "2026/11/20 11:00", "着信", "300",
         "担当者と会話", "完了"],
    ]  # fmt: skip


def test_salesforce_task_report_imports_as_written(tmp_path, rep, teammate, now, django_capture_on_commit_callbacks):
    path = write_csv(tmp_path / "sf.csv", SF_HEADER, sf_rows(), "cp932")
    with django_capture_on_commit_callbacks(execute=True):
        result = calls_import(path=path, source="salesforce", profile=import_profile_named("salesforce-task"))
    assert (result.refused, result.created) == (False, 4), result.errors
    assert dict(CallLog.objects.values_list("external_id", "result")) == {
        "00T5g00000AbCd0001": "connected",
        "00T5g00000AbCd0002": "failed",
        "00T5g00000AbCd0003": "gatekeeper",
        "00T5g00000AbCd0004": "connected",
    }
    assert day_figures(rep) == (3, 2, 1)


def test_a_date_with_no_time_is_refused_not_stored_at_midnight(tmp_path, rep, now):
    """Today 期日 (a date) lands at 00:00 and the weekly review recommends 0:00-0:59 as the best hour."""
    profile = import_profile_named("salesforce-task")
    profile.columns = {**profile.columns, "started_at": "期日"}
    path = write_csv(tmp_path / "sf.csv", SF_HEADER, sf_rows()[:1], "cp932")
    result = calls_import(path=path, source="salesforce", profile=profile)
    assert [(e["row"], e["column"], e["code"], e["value"]) for e in result.errors] == [
        (2, "started_at", "date_without_time", "2026/11/20")
    ]
    assert CallLog.objects.count() == 0


def test_a_contract_file_with_a_date_and_no_time_is_refused(tmp_path, rep, now):
    header = ["external_id", "rep_email", "started_at", "duration_seconds", "result"]
    path = write_csv(tmp_path / "c.csv", header, [["c-1", rep.email, "2026/11/20", 130, "connected"]])
    result = calls_import(path=path, source="upload")
    assert [(e["row"], e["column"], e["code"]) for e in result.errors] == [(2, "started_at", "date_without_time")]


HUBSPOT_HEADER = [
    "hs_object_id",
    "hs_timestamp",
    "hubspot_owner_id",
    "hs_call_direction",
    "hs_call_duration",
    "hs_call_disposition",
    "hs_call_title",
    "hs_call_status",
]
CONNECTED, NO_ANSWER, VOICEMAIL = (
    "f240bbac-87c9-4f6e-bf70-924b57d47db7",
    "73a0d17f-1163-4015-bdd5-ec830791da20",
    "b2cf5968-551e-4856-9783-52b3da59a7d0",
)


def hubspot_rows() -> list[list]:
    return [
        ["1001", "2026-11-20T00:31:37.000Z", "52345678", "OUTBOUND", "45000", CONNECTED, "新規架電", "COMPLETED"],
        ["1002", "2026-11-20T01:00:00.000Z", "52345678", "OUTBOUND", "0", NO_ANSWER, "新規架電", "NO_ANSWER"],
        ["1003", "2026-11-20T02:00:00.000Z", "52345678", "OUTBOUND", "185000", CONNECTED, "商談化", "COMPLETED"],
        ["1004", "2026-11-20T03:00:00.000Z", "52345679", "OUTBOUND", "3000", VOICEMAIL, "", "COMPLETED"],
    ]


def test_hubspot_calls_read_milliseconds_and_owner_ids(
    tmp_path, rep, teammate, now, django_capture_on_commit_callbacks
):
    RepAlias.objects.create(user=rep, alias="52345678")
    RepAlias.objects.create(user=teammate, alias="52345679")
    path = write_csv(tmp_path / "hubspot.csv", HUBSPOT_HEADER, hubspot_rows())
    with django_capture_on_commit_callbacks(execute=True):
        result = calls_import(path=path, source="hubspot", profile=import_profile_named("hubspot-calls"))
    assert (result.refused, result.created) == (False, 4), result.errors
    # 45,000 ms is 45 s: a connect, not an effective conversation (today: 45,000 s, effective).
    assert dict(CallLog.objects.values_list("external_id", "duration_seconds")) == {
        "1001": 45,
        "1002": 0,
        "1003": 185,
        "1004": 3,
    }
    assert day_figures(rep) == (3, 2, 1)
    assert day_figures(teammate) == (1, 1, 0)


def test_a_duration_implausible_for_its_unit_names_the_likely_unit(tmp_path, rep, now):
    RepAlias.objects.create(user=rep, alias="52345678")
    profile = import_profile_named("hubspot-calls")
    profile.duration_unit = ImportProfile.DurationUnit.SECONDS
    path = write_csv(tmp_path / "hubspot.csv", HUBSPOT_HEADER, hubspot_rows()[:3])
    result = calls_import(path=path, source="hubspot", profile=profile)
    assert [(e["row"], e["code"], e["value"]) for e in result.errors] == [
        (2, "implausible_seconds", "45000"),
        (4, "implausible_seconds", "185000"),
    ]
    with translation.override("en"):
        assert "milliseconds" in reason_text("implausible_seconds")
    with translation.override("ja"):
        assert "ミリ秒" in reason_text("implausible_seconds")


def test_a_result_contradicting_its_talk_time_is_reported(tmp_path, rep, now):
    RepAlias.objects.create(user=rep, alias="52345678")
    rows = [["1005", "2026-11-20T01:30:00.000Z", "52345678", "OUTBOUND", "12000", NO_ANSWER, "", "NO_ANSWER"]]
    path = write_csv(tmp_path / "hubspot.csv", HUBSPOT_HEADER, rows)
    preview = profile_preview(path=path, profile=import_profile_named("hubspot-calls"))
    assert preview.warning_counts == [{"code": "talk_time_on_unanswered", "count": 1}]
    result = calls_import(path=path, source="hubspot", profile=import_profile_named("hubspot-calls"))
    assert result.created == 1
    assert result.warnings == [
        {"row": 2, "column": "duration_seconds", "code": "talk_time_on_unanswered", "value": f"{NO_ANSWER} 12000"}
    ]


def test_preview_shows_rows_unmapped_columns_and_unknown_values_with_counts(tmp_path, rep, now):
    rows = [
        ["c-1", rep.email, "2026/11/20 午前10:23", "2分15秒", "外線発信", "応答"],
        ["c-2", rep.email, "2026年11月20日 10:30", "0:45", "外線発信", "応答"],
        ["c-3", rep.email, "2026/11/20 10:40", "0", "外線発信", "不応答"],
    ]
    header = ["id", "email", "日時", "通話時間", "種別", "結果", "部署"]
    path = write_csv(tmp_path / "pbx.csv", header, [[*r, "IS"] for r in rows])
    profile = ImportProfile(
        name="pbx",
        columns={
            "external_id": "id",
            "rep_email": "email",
            "started_at": "日時",
            "duration_seconds": "通話時間",
            "direction": "種別",
            "result": "結果",
        },
    )
    preview = profile_preview(path=path, profile=profile)
    assert preview.unmapped == ["部署"]
    assert [(u["column"], u["raw"], u["count"], u["guess"]) for u in preview.unknown] == [
        ("direction", "外線発信", 3, "outbound"),
        ("result", "応答", 2, ""),
        ("result", "不応答", 1, ""),
    ]
    assert preview.rows[0]["values"]["started_at"] == "2026-11-20T10:23:00+09:00"
    assert preview.rows[0]["values"]["duration_seconds"] == "135"
    assert preview.rows[1]["values"]["duration_seconds"] == "45"
    profile.direction_values = {"外線発信": "outbound"}
    profile.result_values = {"応答": "connected", "不応答": "no_answer"}
    again = profile_preview(path=path, profile=profile)
    assert (again.unknown, again.error_count) == ([], 0)


@pytest.mark.parametrize(
    ("raw", "unit", "seconds"),
    [
        ("135", "seconds", 135),
        ("135.0", "seconds", 135),
        ("１３５", "seconds", 135),
        ("00:02:15", "seconds", 135),
        ("0:02:15", "seconds", 135),
        ("2:15", "seconds", 135),
        ("2分15秒", "seconds", 135),
        ("135秒", "seconds", 135),
        ("1時間2分", "seconds", 3720),
        ("135000", "milliseconds", 135),
        ("", "seconds", 0),
        ("two minutes", "seconds", None),
    ],
)
def test_duration_spellings(raw, unit, seconds):
    assert parse_duration(raw, unit)[0] == seconds


@pytest.mark.parametrize(
    ("raw", "iso", "had_time"),
    [
        ("2026/11/19 10:23:11", "2026-11-19T10:23:11", True),
        ("2026/11/9 9:03", "2026-11-09T09:03:00", True),
        ("2026-11-19T01:23:11Z", "2026-11-19T01:23:11+00:00", True),
        ("2026-11-19T10:23:11+09:00", "2026-11-19T10:23:11+09:00", True),
        ("2026年11月19日 10:23", "2026-11-19T10:23:00", True),
        ("2026/11/19 午前10:23", "2026-11-19T10:23:00", True),
        ("2026/11/19 午後1:05", "2026-11-19T13:05:00", True),
        ("11/19/2026 10:23 AM", "2026-11-19T10:23:00", True),
        ("46345.4328", "2026-11-19T10:23:14", True),
        ("2026/11/19", "2026-11-19T00:00:00", False),
        ("46345", "2026-11-19T00:00:00", False),
    ],
)
def test_date_time_spellings(raw, iso, had_time):
    moment, with_time = parse_moment(raw)
    assert (moment.isoformat(), with_time) == (iso, had_time)
