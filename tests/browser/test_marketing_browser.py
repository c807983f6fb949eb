"""The marketing page in a real browser, in Japanese and English, at 1440 and 390 px."""

from datetime import date

import pytest

from kpi.models import Lead, LeadSupply
from tests.browser.conftest import shot
from tests.factories import CallFactory, tokyo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("width", [1440, 390])
def test_marketing_sees_supply_rates_and_the_funnel_by_channel(login, marketer, rep, time_machine, lang, width):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0))
    LeadSupply.objects.create(month=date(2026, 11, 1), channel="web", leads=4)
    for n in range(2):
        Lead.objects.create(source="t", external_id=f"w{n}", channel="web", created_at=tokyo(2026, 11, 10, 9, n))
    CallFactory(rep=rep, lead_external_id="w0", started_at=tokyo(2026, 11, 11, 9, 0), reached_target=True)
    page = login(marketer, lang=lang)
    page.set_viewport_size({"width": width, "height": 900})
    base = page.url.split("/", 3)
    page.goto(f"{base[0]}//{base[2]}/marketing/")
    web = "Web inquiry" if lang == "en" else "Web問い合わせ"
    supply = page.locator("#supply-table tbody tr").first.inner_text()
    assert web in supply and "50%" in supply  # 2 of 4 planned
    row = page.locator("#channel-funnel-table tr[data-channel='web']").inner_text()
    assert "50%" in row  # 1 of 2 leads touched
    assert page.locator("#channel-funnel canvas").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"marketing_{lang}_{width}")
