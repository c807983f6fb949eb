"""import_reps: the last ops user cannot be demoted; working days and hours are read."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.models import User
from tests.kpi.services.imports.helpers import write_csv

pytestmark = pytest.mark.django_db


def test_import_reps_refuses_to_demote_the_only_ops_user(tmp_path, ops):
    path = write_csv(tmp_path / "reps.csv", ["email", "name", "team", "role"], [[ops.email, "運用 管理者", "", "rep"]])
    err = StringIO()
    with pytest.raises(CommandError, match="refused: 1 bad row"), translation.override("en"):
        call_command("import_reps", str(path), stderr=err)
    assert "row 2: role: this would leave no active ops user" in err.getvalue()
    ops.refresh_from_db()
    assert ops.role == "ops"


def test_import_reps_sets_working_days_and_hours(tmp_path, ops):
    path = write_csv(
        tmp_path / "reps.csv",
        ["email", "name", "team", "role", "workdays", "work_hours"],
        [["new@example.jp", "新人", "東京第3チーム", "rep", "12345", "6.5"]],
    )
    out = StringIO()
    call_command("import_reps", str(path), stdout=out)
    assert "1 rows: 1 created, 0 updated" in out.getvalue()
    new = User.objects.get(email="new@example.jp")
    assert (new.workdays, new.work_hours_per_day, new.has_usable_password()) == ("12345", Decimal("6.5"), False)
