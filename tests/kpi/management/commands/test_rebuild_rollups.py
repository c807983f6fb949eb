"""kpi/management/commands/rebuild_rollups.py: rebuilds, records a job run, refuses a bad date."""

import pytest
from django.core.management import CommandError, call_command

from kpi.models import JobRun, Rollup
from tests.kpi.helpers import snapshot

pytestmark = pytest.mark.django_db


def test_command_rebuilds_and_records_a_job_run(activity, capsys):
    call_command("rebuild_rollups")
    assert "Rebuilt rollups for 30 days (2026-11-02 .. 2026-12-01)" in capsys.readouterr().out
    once = snapshot()
    call_command("rebuild_rollups", "--since", "2026-11-10")
    assert "Rebuilt rollups for 22 days (2026-11-10 .. 2026-12-01)" in capsys.readouterr().out
    assert snapshot() == once
    runs = list(JobRun.objects.filter(name="rebuild_rollups").order_by("id"))
    assert [(r.ok, r.detail["since"]) for r in runs] == [(True, None), (True, "2026-11-10")]
    assert all(r.finished_at is not None for r in runs)


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "2026/11/10"])
def test_command_refuses_a_bad_date(activity, bad):
    with pytest.raises(CommandError, match=r"--since must be a date as YYYY-MM-DD"):
        call_command("rebuild_rollups", "--since", bad)
    assert not Rollup.objects.exists()
    assert not JobRun.objects.exists()


def test_command_without_events(db, capsys):
    call_command("rebuild_rollups")
    assert "No events to roll up" in capsys.readouterr().out
