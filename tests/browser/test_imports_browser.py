"""The imports page in a real browser: a bad file refused, then a good one imported (ja and en)."""

import pytest

from kpi.models import CallLog
from tests.browser.conftest import shot
from tests.factories import tokyo
from tests.kpi.services.imports.helpers import EN_HEADER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _csv(tmp_path, name: str, rows: list[list]):
    path = tmp_path / name
    text = "\r\n".join([",".join(EN_HEADER)] + [",".join(map(str, r)) for r in rows]) + "\r\n"
    path.write_bytes(text.encode("cp932"))
    return path


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_upload_bad_file_then_good_file(login, manager, rep, tmp_path, settings, time_machine, lang):
    settings.MEDIA_ROOT = tmp_path / "media"
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0), tick=True)
    page = login(manager, lang=lang)
    base = page.url.split("/teams/")[0].split("/today")[0].rstrip("/")
    page.goto(f"{base}/imports/")
    bad = _csv(
        tmp_path,
        "bad.csv",
        [
            ["c-1", rep.email, "2026-11-20 10:00", 60, "outbound", "通話", "", "", "", ""],
            ["c-2", "ghost@example.jp", "2026-11-20 10:05", -4, "outbound", "通話", "", "", "", ""],
        ],
    )
    page.set_input_files("input[name=file]", str(bad))
    page.click("#upload-form button[type=submit]")
    page.locator("#error-list").wait_for()
    rows = page.locator("#error-list tbody tr")
    assert rows.count() == 2
    assert "ghost@example.jp" in rows.nth(0).inner_text()
    shot(page, f"ingestion_refused_{lang}")
    good = _csv(
        tmp_path,
        "good.csv",
        [
            ["c-1", rep.email, "2026-11-20 10:00", 60, "outbound", "通話", "", "", "", ""],
            ["c-2", rep.email, "2026-11-20 10:05", 0, "outbound", "不在", "", "", "", ""],
        ],
    )
    page.goto(f"{base}/imports/")
    page.set_input_files("input[name=file]", str(good))
    page.click("#upload-form button[type=submit]")
    page.locator("#count-created").wait_for()
    assert page.locator("#count-created").inner_text() == "2"
    shot(page, f"ingestion_done_{lang}")
    page.goto(f"{base}/imports/")
    shot(page, f"ingestion_imports_{lang}")
    assert CallLog.objects.count() == 2
