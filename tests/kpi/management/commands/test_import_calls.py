"""kpi/management/commands/import_calls.py: imports a file and refuses a bad one."""

import pytest
from django.core.management import CommandError, call_command

from kpi.models import CallLog
from tests.kpi.services.imports.helpers import EN_HEADER, en_rows, write_csv

pytestmark = pytest.mark.django_db


def test_command_imports_and_refuses(tmp_path, rep, now, capsys):
    good = write_csv(tmp_path / "good.csv", EN_HEADER, en_rows(rep.email))
    call_command("import_calls", str(good), "--source", "zoom", "--dry-run")
    assert "would create 3" in capsys.readouterr().out
    assert CallLog.objects.count() == 0
    call_command("import_calls", str(good), "--source", "zoom")
    assert "created 3" in capsys.readouterr().out
    bad = write_csv(
        tmp_path / "bad.csv", EN_HEADER, [["x", "ghost@example.jp", "2026-11-20", 1, "", "busy", "", "", "", ""]]
    )
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import_calls", str(bad))
    assert "row 2: rep_email" in capsys.readouterr().err


def test_command_imports_through_a_built_in_profile(tmp_path, rep, now, capsys):
    from tests.kpi.services.imports.test_profiles import ZOOM_HEADER, zoom_rows

    path = write_csv(tmp_path / "zoom.csv", ZOOM_HEADER, zoom_rows(rep.email))
    call_command("import_calls", str(path), "--profile", "zoom-phone")
    assert "created 6" in capsys.readouterr().out
    assert set(CallLog.objects.values_list("source", flat=True)) == {"zoom-phone"}
    call_command("import_calls", str(path), "--profile", "zoom-phone", "--source", "zoom-2")
    assert CallLog.objects.filter(source="zoom-2").count() == 6
    with pytest.raises(CommandError, match="no import profile named 'avaya'"):
        call_command("import_calls", str(path), "--profile", "avaya")
