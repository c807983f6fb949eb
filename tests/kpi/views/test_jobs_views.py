"""kpi/views/jobs.py, the job-health page: ops only; its "last rollup written" follows every kind of
rollup write."""

from datetime import date

import pytest
from django.urls import reverse

from kpi.services.rollups import rollups_rebuild, rollups_refresh_rep_days
from tests.factories import CallFactory, tokyo
from tests.kpi.views.helpers import get

pytestmark = pytest.mark.django_db


def test_job_health_is_ops_only(client, manager):
    assert get(client, manager, reverse("job_health")).status_code == 403


def last_written(client, ops) -> list[str]:
    client.force_login(ops)
    page = client.get(reverse("job_health"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return page.split("<strong>", 1)[1].split("</p>", 1)[0].replace("</strong>", "").split()


def test_last_rollup_written_moves_with_a_rebuild_and_with_a_one_rep_refresh(client, ops, rep, outsider, time_machine):
    assert last_written(client, ops) == ["—"]
    CallFactory(rep=rep, started_at=tokyo(2026, 10, 5, 10, 0))
    CallFactory(rep=outsider, started_at=tokyo(2026, 11, 2, 10, 0))
    time_machine.move_to(tokyo(2026, 11, 20, 9, 0))
    rollups_rebuild()
    time_machine.move_to(tokyo(2026, 11, 20, 9, 3))
    assert last_written(client, ops) == ["2026-11-20", "09:00:00", "(3", "minutes", "ago)"]

    # A refresh of one rep's October day rewrites none of November's rows; it still counts.
    time_machine.move_to(tokyo(2026, 11, 21, 7, 30))
    CallFactory(rep=rep, started_at=tokyo(2026, 10, 5, 11, 0))
    rollups_refresh_rep_days(rep_days=[(rep.pk, date(2026, 10, 5))])
    assert last_written(client, ops)[:2] == ["2026-11-21", "07:30:00"]
