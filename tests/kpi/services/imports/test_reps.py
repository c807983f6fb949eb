"""Rep import: creates or updates users and teams; any bad row refuses the file."""

from decimal import Decimal

import pytest

from accounts.models import Team, User
from kpi.services.imports.reps import reps_import
from tests.kpi.services.imports.helpers import write_csv

pytestmark = pytest.mark.django_db


def test_reps_are_created_and_updated(tmp_path, rep):
    rows = [
        ["new@example.jp", "山田 太郎", "東京第2チーム", "rep"],
        [rep.email, "佐藤 花子", "東京第2チーム", "マネージャー"],
    ]
    result = reps_import(
        path=write_csv(tmp_path / "reps.csv", ["メールアドレス", "氏名", "チーム", "ロール"], rows, "cp932")
    )
    assert (result.created, result.unchanged, result.refused) == (1, 1, False)
    team = Team.objects.get(name="東京第2チーム")
    assert User.objects.get(email="new@example.jp").team == team
    rep.refresh_from_db()
    assert (rep.role, rep.team) == ("manager", team)
    assert list(team.managers.all()) == [rep]


def test_bad_rows_refuse_the_file(tmp_path, db):
    rows = [["ok@example.jp", "A", "T", "rep"], ["not-an-email", "B", "T", "boss"], ["ok@example.jp", "", "T", "rep"]]
    result = reps_import(path=write_csv(tmp_path / "reps.csv", ["email", "name", "team", "role"], rows))
    assert [(e["row"], e["column"], e["code"]) for e in result.errors] == [
        (3, "email", "bad_email"),
        (3, "role", "unknown_role"),
        (4, "email", "duplicate_in_file"),
        (4, "name", "required"),
    ]
    assert not User.objects.filter(email="ok@example.jp").exists()


def test_aliases_column_sets_each_reps_aliases_and_refuses_one_held_by_another(tmp_path, rep, teammate):
    from kpi.models import RepAlias

    RepAlias.objects.create(user=teammate, alias="201")
    header = ["email", "name", "team", "role", "aliases"]
    rows = [[rep.email, "佐藤 花子", "東京第1チーム", "rep", "03-1234-5678; 52345678"]]
    result = reps_import(path=write_csv(tmp_path / "reps.csv", header, rows))
    assert not result.refused, result.errors
    assert sorted(rep.aliases.values_list("alias", flat=True)) == ["0312345678", "52345678"]
    taken = reps_import(path=write_csv(tmp_path / "reps2.csv", header, [[*rows[0][:4], "201"]]))
    assert [(e["row"], e["column"], e["code"], e["value"]) for e in taken.errors] == [
        (2, "aliases", "alias_taken", "201")
    ]
    # Without the column, aliases stay as they are.
    reps_import(path=write_csv(tmp_path / "reps3.csv", header[:4], [rows[0][:4]]))
    assert rep.aliases.count() == 2


def test_working_days_and_hours_are_imported(tmp_path, rep):
    rows = [
        ["new@example.jp", "山田 太郎", "東京第2チーム", "rep", "月火水木", "7.5"],
        [rep.email, "佐藤 花子", "東京第2チーム", "rep", "mon wed sat", "6"],
    ]
    result = reps_import(
        path=write_csv(
            tmp_path / "reps.csv", ["メールアドレス", "氏名", "チーム", "ロール", "勤務曜日", "勤務時間"], rows
        )
    )
    assert not result.refused
    new = User.objects.get(email="new@example.jp")
    rep.refresh_from_db()
    assert (new.workdays, new.work_hours_per_day) == ("0123", Decimal("7.5"))
    assert (rep.workdays, rep.work_hours_per_day) == ("025", Decimal(6))
    # Without the columns, existing users keep theirs.
    reps_import(
        path=write_csv(tmp_path / "again.csv", ["email", "name", "team", "role"], [[rep.email, "佐藤 花子", "", "rep"]])
    )
    rep.refresh_from_db()
    assert (rep.workdays, rep.work_hours_per_day) == ("025", Decimal(6))


def test_bad_working_days_or_hours_refuse_the_file(tmp_path, db):
    rows = [["a@example.jp", "A", "T", "rep", "01234", "8"], ["b@example.jp", "B", "T", "rep", "月曜", "25"]]
    result = reps_import(
        path=write_csv(tmp_path / "reps.csv", ["email", "name", "team", "role", "workdays", "work_hours"], rows)
    )
    assert [(e["row"], e["column"], e["code"]) for e in result.errors] == [
        (3, "workdays", "bad_workdays"),
        (3, "work_hours", "bad_hours"),
    ]
    assert not User.objects.filter(email="a@example.jp").exists()


def test_a_file_demoting_the_last_ops_user_is_refused(tmp_path, ops):
    header = ["email", "name", "team", "role"]
    result = reps_import(
        path=write_csv(tmp_path / "reps.csv", header, [["x@example.jp", "X", "", "rep"], [ops.email, "O", "", "rep"]])
    )
    assert [(e["row"], e["column"], e["code"]) for e in result.errors] == [(3, "role", "last_ops")]
    ops.refresh_from_db()
    assert ops.role == "ops" and not User.objects.filter(email="x@example.jp").exists()
    # With another ops user in the same file, the demotion is fine.
    rows = [["x@example.jp", "X", "", "ops"], [ops.email, "O", "", "rep"]]
    assert not reps_import(path=write_csv(tmp_path / "ok.csv", header, rows)).refused
    ops.refresh_from_db()
    assert ops.role == "rep"
