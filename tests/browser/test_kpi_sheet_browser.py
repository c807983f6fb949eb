"""The KPI sheet in a real browser, Japanese and English: a manager drafts a change and sees it
pending; FS sees the approve button; ops sees the holidays page."""

import pytest

from kpi import conditions
from kpi.models import DefinitionVersion
from tests.browser.conftest import set_language, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_manager_drafts_a_change_and_sees_it_pending(login, live_server, manager, fs_user, rep, lang):
    page = login(manager, lang=lang)
    page.goto(f"{live_server.url}/kpi-sheet/")
    assert page.locator("section.kpi-def").count() == 26
    heading = "KPIシート" if lang == "ja" else "KPI sheet"
    assert heading in page.locator("h1").inner_text()
    shot(page, f"engine_kpi_sheet_{lang}")

    page.click("#kpi-effective_calls a[href$='/draft/']")
    page.fill("input[name=c_min_duration_seconds]", "-5")
    page.fill("input[name=effective_from]", "2026-11-15")
    page.click("button[type=submit].primary")
    # count() does not wait: on a busy machine it ran before the refused form had come back.
    page.locator(".has-error[data-field=c_min_duration_seconds] .error").wait_for()
    assert page.locator(".has-error[data-field=c_min_duration_seconds] .error").count() == 1
    assert page.locator("textarea[name=reason]").evaluate("el => el.closest('.field').className").endswith("has-error")
    shot(page, f"engine_kpi_draft_errors_{lang}")

    page.fill("input[name=c_min_duration_seconds]", "90")
    # Every call result counts by default; the agreement drops voicemail and the gatekeeper.
    assert page.locator("input[name=c_results]:checked").count() == 7
    page.uncheck("input[name=c_results][value=voicemail]")
    page.uncheck("input[name=c_results][value=gatekeeper]")
    page.fill("textarea[name=reason]", "短い通話でもヒアリングできている" if lang == "ja" else "Shorter talks suffice")
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    draft = page.locator("#kpi-effective_calls .draft")
    assert draft.get_attribute("data-draft") == "2"
    pending = "未承認" if lang == "ja" else "Pending"
    assert draft.locator("tr[data-dept=fs]").inner_text().count(pending) == 1
    assert draft.locator("button[value=approve]").count() == 1  # the manager signs for IS
    draft.scroll_into_view_if_needed()
    shot(page, f"engine_kpi_sheet_pending_{lang}")
    version = DefinitionVersion.objects.get(definition__key="effective_calls", number=2)
    assert version.status == "draft"
    assert version.params["conditions"]["results"] == ["no_answer", "busy", "connected", "wrong_number", "failed"]

    # A rep sees the same draft read-only.
    page.context.clear_cookies()
    page = login(rep, lang=lang)
    page.goto(f"{live_server.url}/kpi-sheet/#kpi-effective_calls")
    assert page.locator("#kpi-effective_calls .draft").count() == 1
    assert page.locator("button[value=approve]").count() == 0
    assert page.locator("a[href$='/draft/']").count() == 0


def test_fs_approves_and_ops_sees_holidays(login, live_server, manager, fs_user, ops):
    from datetime import date

    from kpi.services import definitions

    definitions.definition_version_draft(
        key="meeting_rate",
        params={**conditions.default_params("meeting_rate"), "denominator": "effective_calls"},
        effective_from=date(2026, 12, 1),
        reason="商談化率は有効会話を分母にする",
        actor=manager,
    )
    page = login(fs_user, lang="ja")
    page.goto(f"{live_server.url}/kpi-sheet/#kpi-meeting_rate")
    page.locator("#kpi-meeting_rate button[value=approve]").click()
    page.wait_for_load_state("networkidle")
    assert "承認しました" in page.locator(".messages").inner_text()
    assert page.locator("#kpi-meeting_rate tr[data-dept=fs] td.status-green").count() == 1

    page.context.clear_cookies()
    page = login(ops, lang="ja")
    page.goto(f"{live_server.url}/holidays/?year=2026")
    page.fill("input[name=date]", "2026-12-28")
    page.fill("input[name=name]", "年末休業")
    page.click(".holiday-add button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#company-holidays tr[data-date='2026-12-28']").count() == 1
    assert "243" in page.locator("#business-days").inner_text()
    shot(page, "engine_holidays_ja")
    set_language(page, "en")
    assert "Japanese public holidays" in page.content()
    shot(page, "engine_holidays_en")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_approver_sees_the_recomputation_done(login, live_server, manager, fs_user, marketer, lang):
    from datetime import date

    from kpi.services import definitions

    params = {**conditions.default_params("effective_calls"), "conditions": {"min_duration_seconds": 90}}
    version = definitions.definition_version_draft(
        key="effective_calls", params=params, effective_from=date(2026, 11, 1), reason="r", actor=manager
    )
    for user in (manager, fs_user, marketer):  # the backfill runs inline once the last one approves
        definitions.definition_version_decide(version_id=version.pk, actor=user, approve=True)
    page = login(manager, lang=lang)
    page.goto(f"{live_server.url}/kpi-sheet/")
    done = "再計算済み" if lang == "ja" else "Recomputed"
    assert done in page.locator(f"#backfills li[data-version='{version.pk}']").inner_text()
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(shot(page, f"kpi_sheet_backfill_{lang}_{width}")), clip=None, full_page=False)
