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


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_ops_creates_a_profile_from_a_preview_imports_and_sees_the_counts(
    login, ops, rep, tmp_path, settings, time_machine, lang
):
    settings.MEDIA_ROOT = tmp_path / "media"
    time_machine.move_to(tokyo(2026, 11, 20, 18, 0), tick=True)
    path = tmp_path / "pbx.csv"
    lines = [
        "通話ID,担当者,日時,通話時間,種別,結果,部署",
        f"p-1,{rep.email},2026/11/20 午前10:23,2分15秒,外線発信,応答,IS",
        f"p-2,{rep.email},2026/11/20 10:40,0:00,外線発信,不応答,IS",
        f"p-3,{rep.email},2026年11月20日 11:05,0:45,外線発信,応答,IS",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    page = login(ops, lang=lang)
    base = page.url.split("/teams/")[0].split("/today")[0].rstrip("/")
    page.goto(f"{base}/imports/")
    page.set_input_files("input[name=file]", str(path))
    page.click("#upload-preview")
    page.locator("#profile-form").wait_for()
    assert "部署" in page.locator("#preview-unmapped").inner_text()
    shot(page, f"imports_preview_new_{lang}")
    page.fill("#profile-form input[name=name]", "pbx")
    page.select_option("#profile-form select[name=rep_email]", "担当者")
    page.click("#save-profile")
    page.locator("#values-form").wait_for()
    # 外線発信 was guessed (outbound); the two result words (応答 on 2 rows, 不応答 on 1) are chosen here.
    page.select_option("#values-form select[name=v1]", "connected")
    page.select_option("#values-form select[name=v2]", "no_answer")
    shot(page, f"imports_preview_values_{lang}")
    page.click("#add-values")
    page.locator("#preview-rows").wait_for()
    assert page.locator("#preview-unknown").count() == 0
    assert page.locator("#preview-rows tbody tr").nth(0).inner_text().count("135") == 1
    shot(page, f"imports_preview_ready_{lang}")
    page.click("#start-import")
    page.locator("#count-created").wait_for()
    assert page.locator("#count-created").inner_text() == "3"
    assert page.locator("#job-warnings").count() == 0  # no result contradicts its talk time
    shot(page, f"imports_profile_done_{lang}")
    assert dict(CallLog.objects.values_list("external_id", "duration_seconds")) == {"p-1": 135, "p-2": 0, "p-3": 45}
