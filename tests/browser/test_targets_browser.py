"""A manager edits a week's targets and sees the change in the history, in Japanese and English, at
1440 and 390 px wide."""

from datetime import date
from decimal import Decimal

import pytest

from kpi.models import Target
from tests.browser.conftest import shot
from tests.factories import tokyo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_manager_sets_a_week_target_and_sees_it_in_the_history(
    login, live_server, manager, rep, teammate, team_a, time_machine, lang, width
):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    page = login(manager, lang=lang)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/targets/?team={team_a.pk}&g=week&d=2026-11-18")
    page.fill(f"input[name=v_rep_{rep.pk}_calls]", "170")
    page.fill(f"input[name=v_rep_{rep.pk}_connect_rate]", "45")
    page.click("#targets-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    stored = {(t.kpi_key, t.period_start): t.value for t in Target.objects.filter(scope_id=rep.pk)}
    assert stored == {
        ("calls", date(2026, 11, 16)): Decimal(170),
        ("connect_rate", date(2026, 11, 16)): Decimal("0.45"),
    }
    rows = page.locator("#target-history tbody tr")
    assert rows.count() == 2
    assert "170" in rows.all_inner_texts()[0] + rows.all_inner_texts()[1]
    assert page.input_value(f"input[name=v_rep_{rep.pk}_connect_rate]") == "45"
    shot(page, f"targets_week_{lang}_{width}")
