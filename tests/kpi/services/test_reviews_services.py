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
from kpi.models import ReviewItem, ReviewRule, Target
from kpi.services.reviews import review_entry_add, review_item_close, reviews_evaluate
from tests.kpi.helpers import day_row, month_target

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


def test_entry_with_new_target_updates_the_target_and_close_needs_a_result(rep, manager, calls_rule):
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
    target = Target.objects.get(kpi_key="calls", scope_id=rep.pk)
    assert (target.value, target.updated_by) == (Decimal(1500), manager)
    review_item_close(item=item, user=manager, result="目標再設定")
    item.refresh_from_db()
    assert item.status == "closed" and item.entries.count() == 1
