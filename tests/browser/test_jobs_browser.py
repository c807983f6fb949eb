"""Ops reads when rollups were last written and how recent jobs went, in Japanese and English."""

import pytest

from kpi.models import JobRun
from kpi.services.rollups import rollups_rebuild
from tests.browser.conftest import shot
from tests.factories import CallFactory, tokyo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_ops_reads_job_health(login, live_server, ops, rep, lang):
    CallFactory(rep=rep, started_at=tokyo(2026, 11, 2, 10, 0))
    rollups_rebuild()
    JobRun.objects.create(name="rebuild_rollups", ok=False, detail={"since": None, "error": "LockBusy: kpi_rollup"})
    JobRun.objects.create(name="rollups_refresh", ok=True, detail={"rep_days": 1, "days": 1})
    page = login(ops, lang=lang)
    page.goto(f"{live_server.url}/jobs/")
    summary = page.locator("section.card p").inner_text()
    assert ("前" if lang == "ja" else "ago") in summary and "—" not in summary
    table = page.locator("table.board").inner_text()
    assert all(pair in table for pair in ("rep_days: 1", "days: 1", "since: —", "error: LockBusy: kpi_rollup"))
    assert "{" not in table
    shot(page, f"job_health_{lang}")
