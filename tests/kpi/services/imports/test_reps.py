"""Rep import: creates or updates users and teams; any bad row refuses the file."""

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
