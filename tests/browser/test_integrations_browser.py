"""The integrations page in a real browser, in Japanese and English."""

import pytest

from kpi.models import Integration
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Japanese has two words where English has one: the catalogs tell them apart by context.
INTEGRATION_NAME = {"ja": "名称", "en": "Name"}  # an integration's name, not a person's (氏名)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_integrations_page_names_its_name_column_for_a_system(login, ops, lang):
    Integration.objects.create(
        name="CTI 本番", source="cti", token_hash="0" * 64, token_prefix="isk_0000", created_by=ops
    )
    page = login(ops, lang=lang)
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + "/integrations/")
    assert page.locator("table thead th").first.inner_text() == INTEGRATION_NAME[lang]
    assert "CTI 本番" in page.locator("table tbody").inner_text()
    shot(page, f"ingestion_integrations_{lang}")
