"""Review rules against hand-computed month-to-date numbers (November 2026, Tokyo).

November 2026 has 21 weekdays; the 3rd (Culture Day) and the 23rd (Labour Thanksgiving Day) are
public holidays, so 19 business days. Through Friday the 20th, 14 of them have passed.
A monthly calls target of 1,900 is 100 a business day, so the pace expects 1,400 by the 20th.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail

from kpi.errors import ApplicationError
from kpi.models import Notice, NoticeSettings, ReviewCheck, ReviewEntry, ReviewItem, ReviewRule, Target
from kpi.services.reviews import review_entry_add, review_item_close, reviews_evaluate, reviews_recheck
from tests.factories import tokyo
from tests.kpi.helpers import agree, day_row, month_target

pytestmark = pytest.mark.django_db

NOV = date(2026, 11, 1)


AS_OF = date(2026, 11, 20)


@pytest.fixture
def calls_rule(db):
    return ReviewRule.objects.create(kpi_key="calls", scope="rep", granularity="month", threshold_pct=70)


@pytest.mark.parametrize(("calls", "fires", "pct"), [(980, False, "70.0"), (979, True, "69.9")])
def test_exactly_70_percent_does_not_fire_and_69_9_does(
    rep, manager, calls_rule, calls, fires, pct, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://kpi.example.jp"
    month_target(rep, "calls", 1900)
    # Rates at the benchmark (50% connect, 40% effective, 10% meetings): the gap is volume.
    day_row("rep", rep.pk, date(2026, 11, 2), calls=calls, connects=490, effective_calls=196, meetings=20)
    with django_capture_on_commit_callbacks(execute=True):
        stats = reviews_evaluate(cadence="daily", as_of=AS_OF)
    assert stats["fired"] == int(fires)
    items = list(ReviewItem.objects.all())
    assert len(items) == int(fires)
    if fires:
        item = items[0]
        assert item.actual == calls and item.expected == Decimal(1400) and item.target == Decimal(1900)
        assert str(item.attainment_pct) == pct
        assert item.responsible == manager and item.team_id == rep.team_id
        assert item.hint == "volume"
        assert [m.to for m in mail.outbox] == [[manager.email]]
        # A mail client has no base URL: the link to the item is absolute.
        assert f"https://kpi.example.jp/reviews/{item.pk}/" in mail.outbox[0].body
    else:
        assert mail.outbox == []


def test_second_evaluation_does_not_duplicate_an_open_item(rep, manager, calls_rule):
    month_target(rep, "calls", 1900)
    day_row("rep", rep.pk, date(2026, 11, 2), calls=100)
    first = reviews_evaluate(cadence="daily", as_of=AS_OF)
    second = reviews_evaluate(cadence="daily", as_of=AS_OF)
    assert (first["opened"], second["opened"], second["already_open"]) == (1, 0, 1)
    assert ReviewItem.objects.count() == 1


def test_closed_item_lets_the_rule_open_a_new_one(rep, manager, calls_rule):
    month_target(rep, "calls", 1900)
    day_row("rep", rep.pk, date(2026, 11, 2), calls=100)
    reviews_evaluate(cadence="daily", as_of=AS_OF)
    item = ReviewItem.objects.get()
    review_entry_add(item=item, author=manager, cause="体調不良", next_action="午前に集中架電")
    review_item_close(item=item, user=manager, result="改善")
    assert reviews_evaluate(cadence="daily", as_of=AS_OF)["opened"] == 1
    assert ReviewItem.objects.filter(status="open").count() == 1
    assert ReviewItem.objects.count() == 2  # the history stays


@pytest.mark.parametrize(("calls", "fires"), [(29, False), (30, True)])
def test_rate_rule_with_fewer_calls_than_its_minimum_never_fires(rep, manager, calls, fires):
    ReviewRule.objects.create(kpi_key="connect_rate", scope="rep", granularity="month", min_sample=30)
    month_target(rep, "connect_rate", Decimal("0.50"))
    day_row("rep", rep.pk, date(2026, 11, 2), calls=calls, connects=3)  # 10% connect rate either way
    stats = reviews_evaluate(cadence="daily", as_of=AS_OF)
    assert ReviewItem.objects.count() == int(fires)
    assert stats["skipped_sample"] == int(not fires)
    if fires:
        item = ReviewItem.objects.get()
        assert item.attainment_pct == Decimal("20.0")  # 0.10 / 0.50
        assert item.hint == "connect"


def test_weekly_rule_on_monday_checks_the_past_week(rep, manager):
    ReviewRule.objects.create(kpi_key="calls", scope="rep", granularity="week")
    Target.objects.create(
        kpi_key="calls", scope="rep", scope_id=rep.pk, granularity="week", period_start=date(2026, 11, 16), value=500
    )
    day_row("rep", rep.pk, date(2026, 11, 16), calls=300)  # 60% of the week's 500
    day_row("rep", rep.pk, date(2026, 11, 23), calls=999)  # the current week: not looked at
    stats = reviews_evaluate(cadence="weekly", as_of=date(2026, 11, 23))
    item = ReviewItem.objects.get()
    assert (stats["opened"], item.period_start, item.attainment_pct) == (1, date(2026, 11, 16), Decimal("60.0"))


def test_entry_with_new_target_updates_the_target_and_close_needs_a_result(rep, manager, calls_rule, time_machine):
    time_machine.move_to(tokyo(2026, 11, 21, 9, 0))
    month_target(rep, "calls", 1900)
    day_row("rep", rep.pk, date(2026, 11, 2), calls=100)
    reviews_evaluate(cadence="daily", as_of=AS_OF)
    item = ReviewItem.objects.get()
    with pytest.raises(ApplicationError) as err:
        review_item_close(item=item, user=manager, result="")
    assert set(err.value.fields) == {"result", "entries"}
    review_entry_add(
        item=item,
        author=manager,
        cause="リスト枯渇",
        next_action="新リスト投入",
        recheck_on=date(2026, 11, 27),
        new_target=Decimal(1500),
    )
    target = Target.objects.get(kpi_key="calls", scope_id=rep.pk, period_start=date(2026, 12, 1))  # the next month
    assert (target.value, target.updated_by) == (Decimal(1500), manager)
    review_item_close(item=item, user=manager, result="目標再設定")
    item.refresh_from_db()
    assert item.status == "closed" and item.entries.count() == 1


# --- re-checks: the PDCA comes back on its date ------------------------------------------------------


@pytest.fixture
def fired(rep, manager, calls_rule):
    """100 calls against a pace of 1,400 by Friday the 20th: 7.1%, fired; re-check on the 27th."""
    month_target(rep, "calls", 1900)
    day_row("rep", rep.pk, date(2026, 11, 2), calls=100)
    reviews_evaluate(cadence="daily", as_of=AS_OF)
    item = ReviewItem.objects.get()
    review_entry_add(
        item=item, author=manager, cause="架電不足", next_action="午前に集中", recheck_on=date(2026, 11, 27)
    )
    mail.outbox.clear()
    return item


def test_a_recheck_date_passes_and_the_item_shows_the_current_value_and_the_manager_is_told(
    fired, manager, django_capture_on_commit_callbacks
):
    """Through Thursday the 26th, 17 of November's 19 business days have passed: the pace expects
    1,900 x 17 / 19 = 1,700. 100 + 1,200 = 1,300 calls is 76.5% of it: above 70%, recovered."""
    day_row("rep", fired.scope_id, date(2026, 11, 24), calls=1200)
    with django_capture_on_commit_callbacks(execute=True):
        assert reviews_recheck(today=date(2026, 11, 26))["rechecked"] == 0  # not yet due
        stats = reviews_recheck(today=date(2026, 11, 27))
    assert (stats["rechecked"], stats["recovered"]) == (1, 1)
    check = ReviewCheck.objects.get()
    assert (check.period_start, check.through, check.actual, check.expected) == (
        NOV,
        date(2026, 11, 26),
        Decimal(1300),
        Decimal(1700),
    )
    assert (check.attainment_pct, check.recovered) == (Decimal("76.5"), True)
    fired.refresh_from_db()
    assert (fired.status, fired.recovered_on) == ("open", date(2026, 11, 27))  # closing stays a person's act
    notice = Notice.objects.get(kind="rechecked")
    assert (notice.user, notice.kind, notice.item, notice.review_check) == (manager, "rechecked", fired, check)
    (sent,) = mail.outbox
    assert sent.to == [manager.email]
    assert "7.1% → " in sent.body and "76.5%" in sent.body and "1,300" in sent.body and "1,700" in sent.body
    with django_capture_on_commit_callbacks(execute=True):
        assert reviews_recheck(today=date(2026, 11, 28))["rechecked"] == 0  # done once, not every day
    assert ReviewCheck.objects.count() == 1 and len(mail.outbox) == 1


def test_a_recheck_still_below_keeps_the_item_unrecovered_and_clears_an_old_mark(fired, manager):
    fired.recovered_on = date(2026, 11, 25)
    fired.save()
    stats = reviews_recheck(today=date(2026, 11, 27))
    assert (stats["rechecked"], stats["still_below"]) == (1, 1)
    check = ReviewCheck.objects.get()
    assert (check.actual, check.attainment_pct, check.fired) == (Decimal(100), Decimal("5.9"), True)  # 100 / 1,700
    fired.refresh_from_db()
    assert fired.recovered_on is None


def test_one_mail_per_manager_per_run_however_many_items_opened(
    rep, teammate, manager, calls_rule, django_capture_on_commit_callbacks
):
    for person in (rep, teammate):
        month_target(person, "calls", 1900)
        day_row("rep", person.pk, date(2026, 11, 2), calls=100)
    with django_capture_on_commit_callbacks(execute=True):
        reviews_evaluate(cadence="daily", as_of=AS_OF)
    (sent,) = mail.outbox  # not one per item
    assert "2" in sent.subject
    assert sent.body.count("100 / ") == 2 and sent.body.count("1,400 = 7.1%") == 2
    assert Notice.objects.filter(user=manager, kind="item_opened").count() == 2


def test_mail_is_in_the_managers_language(rep, manager, calls_rule, django_capture_on_commit_callbacks):
    NoticeSettings.objects.create(user=manager, language="en")
    month_target(rep, "calls", 1900)
    day_row("rep", rep.pk, date(2026, 11, 2), calls=100)
    with django_capture_on_commit_callbacks(execute=True):
        reviews_evaluate(cadence="daily", as_of=AS_OF)
    (sent,) = mail.outbox
    assert sent.subject == "Review needed: 1 review item opened"
    assert "Calls (count)" in sent.body or "Calls" in sent.body


def test_a_definition_change_re_evaluates_open_items(rep, manager, fs_user, marketer):
    from kpi.selectors import definitions as definition_selectors
    from kpi.selectors.values import kpi_meta

    rule = ReviewRule.objects.create(kpi_key="effective_calls", scope="rep", granularity="month")
    before = kpi_meta(
        kpi="effective_calls", first=NOV, last=AS_OF, timeline=definition_selectors.approved_timeline()
    ).versions
    item = ReviewItem.objects.create(
        rule=rule,
        kpi_key="effective_calls",
        scope="rep",
        scope_id=rep.pk,
        team=rep.team,
        granularity="month",
        threshold_pct=70,
        min_sample=30,
        pace_aware=True,
        period_start=NOV,
        as_of=AS_OF,
        target=100,
        expected=70,
        attainment_pct=10,
        definition_versions=before,
    )
    assert reviews_recheck(today=date(2026, 11, 21))["definition_changed"] == 0  # nothing changed
    agree("effective_calls", {"min_duration_seconds": 90}, manager, fs_user, marketer)
    stats = reviews_recheck(today=date(2026, 11, 21))
    assert stats["definition_changed"] == 1
    check = ReviewCheck.objects.get(item=item)
    assert check.reason == "definition" and check.definition_versions != before
    assert reviews_recheck(today=date(2026, 11, 22))["definition_changed"] == 0  # evaluated once per change


@pytest.mark.parametrize(
    ("given", "written"), [(None, date(2026, 12, 1)), (NOV, NOV), (date(2027, 1, 1), date(2027, 1, 1))]
)
def test_a_new_target_sets_the_period_named_by_default_the_next_one(
    rep, manager, calls_rule, time_machine, given, written
):
    time_machine.move_to(tokyo(2026, 11, 21, 9, 0))
    month_target(rep, "calls", 1900)
    day_row("rep", rep.pk, date(2026, 11, 2), calls=100)
    reviews_evaluate(cadence="daily", as_of=AS_OF)
    item = ReviewItem.objects.get()
    entry = review_entry_add(
        item=item, author=manager, cause="c", next_action="a", new_target=Decimal(1500), target_period_start=given
    )
    assert entry.target_period_start == written
    assert Target.objects.get(kpi_key="calls", scope_id=rep.pk, period_start=written).value == Decimal(1500)
    if written != NOV:  # the month that fired keeps its target
        assert Target.objects.get(kpi_key="calls", scope_id=rep.pk, period_start=NOV).value == Decimal(1900)


def test_a_new_target_for_a_past_period_is_refused(rep, manager, calls_rule, time_machine):
    time_machine.move_to(tokyo(2026, 11, 21, 9, 0))
    month_target(rep, "calls", 1900)
    day_row("rep", rep.pk, date(2026, 11, 2), calls=100)
    reviews_evaluate(cadence="daily", as_of=AS_OF)
    with pytest.raises(ApplicationError) as err:
        review_entry_add(
            item=ReviewItem.objects.get(),
            author=manager,
            cause="c",
            next_action="a",
            new_target=Decimal(1500),
            target_period_start=date(2026, 10, 1),
        )
    assert set(err.value.fields) == {"target_period"}
    assert not ReviewEntry.objects.exists()
