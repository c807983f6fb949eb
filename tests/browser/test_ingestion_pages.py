"""Imports and quick-log in a real browser, in Japanese and English."""

import pytest

from kpi.models import CallLog, Integration

from ..factories import MeetingFactory, tokyo
from ..ingestion.helpers import EN_HEADER
from .conftest import shot

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


def test_quick_log_updates_today(login, rep, time_machine):
    time_machine.move_to(tokyo(2026, 11, 20, 11, 0), tick=True)
    page = login(rep, lang="ja")
    base = page.url.split("/today")[0].rstrip("/")
    page.goto(f"{base}/today/")
    page.locator("#quick-log").wait_for()
    before = page.locator("#card-today .tile[data-kpi=calls] .tile-value").inner_text()
    page.click("#quick-log button[value=connected]")
    page.wait_for_load_state("networkidle")
    page.locator("#quick-log").wait_for()
    assert before == "0"
    assert page.locator("#card-today .tile[data-kpi=calls] .tile-value").inner_text() == "1"
    shot(page, "ingestion_quicklog_ja")


# Japanese has two words where English has one: the catalogs tell them apart by context.
INTEGRATION_NAME = {"ja": "名称", "en": "Name"}  # an integration's name, not a person's (氏名)
MEETINGS_OPEN = {"ja": "結果未入力", "en": "Open"}  # no outcome yet, not a review item being worked (対応中)


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


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_fs_meetings_page_says_which_meetings_wait_for_an_outcome(login, live_server, fs_user, rep, time_machine, lang):
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0), tick=True)
    MeetingFactory(rep=rep, set_at=tokyo(2026, 11, 18, 11, 0), scheduled_for=tokyo(2026, 11, 25, 14, 0))
    page = login(fs_user, lang=lang)
    page.goto(f"{live_server.url}/meetings/")
    assert page.locator(".toolbar .seg a").first.inner_text() == MEETINGS_OPEN[lang]
    assert rep.name in page.locator("table tbody").inner_text()
    shot(page, f"ingestion_fs_meetings_{lang}")
