"""The board cache across processes: a real Celery worker (its own process, its own local-memory
cache) refreshes the rollups, and the web process's cached board shows the new number at once.

Needs Redis and PostgreSQL, like tests/kpi/test_tasks_worker.py (skips outside CI without them).
"""

import time

import pytest
from celery import Celery
from django.urls import reverse

from kpi.tasks import refresh_rep_days
from tests.factories import CallFactory, tokyo
from tests.kpi.services.helpers import actual
from tests.kpi.worker import BROKER

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_refresh_on_the_worker_reaches_the_board_cached_in_the_web_process(
    worker,
    client,
    manager,
    rep,
    time_machine,
):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    for minute in range(2):
        CallFactory(rep=rep, started_at=tokyo(2026, 11, 20, 10, minute))
    from kpi.services.rollups import rollups_rebuild

    rollups_rebuild()
    client.force_login(manager)
    url = reverse("team_board", args=[rep.team_id])
    assert actual(client.get(url).content.decode(), rep) == "2"
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 20, 11, 0))
    assert actual(client.get(url).content.decode(), rep) == "2"  # cached; the rollups say 2 as well
    with Celery(broker=BROKER) as producer:
        producer.send_task(refresh_rep_days.name, kwargs={"rep_days": [[rep.pk, "2026-11-20"]]}, queue=worker)
    deadline = time.monotonic() + 60
    shown = "2"
    while shown == "2" and time.monotonic() < deadline:
        time.sleep(0.3)
        shown = actual(client.get(url).content.decode(), rep)
    assert shown == "3"
