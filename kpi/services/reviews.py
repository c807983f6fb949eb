"""Review triggers: evaluate the rules, open one review item per fired rule and subject, keep the PDCA trail.

- daily: rules on a month (or quarter) are evaluated month-to-date through the last complete day
  (as_of defaults to yesterday: the job runs at 07:00, before anyone has called);
- weekly: rules on a week are evaluated on Monday for the week that just ended.
A count rule compares the actual with what the pace expects by as_of (pace-aware) or with the whole
period's target; a rate rule compares the rate with its target and fires only once its denominator
reaches the rule's minimum sample. "Below 70%" is strict: exactly 70.0% does not fire.
The responsible manager is the subject's team's first manager (every manager of the team is
told: one digest mail per person per run, and a notice in their inbox); organisation-scope items go
to ops.

Re-checks (reviews_recheck, every morning after the evaluation): an open item whose re-check date has
come is evaluated again on the KPI's current period through yesterday, under the rule as it fired; an
open item whose definitions changed since it was last evaluated is evaluated again too. Above the
threshold again, the item is marked recovered (it stays open: closing, with a result, is a person's
act); below it again, the mark is cleared. The managers are told with the numbers.
"""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .. import catalog, funnel, periods
from ..db.locks import xact_lock
from ..errors import ApplicationError
from ..models import MEASURE_FIELDS, ReviewCheck, ReviewEntry, ReviewItem, ReviewRule
from ..selectors import definitions
from ..selectors import reviews as review_selectors
from ..selectors.calendar import Calendar
from ..selectors.funnel import pending_outcomes
from ..selectors.targets import period_target, targets_in_window
from ..selectors.values import kpi_meta, kpi_value_from
from .notices import notices_items_opened, notices_items_rechecked
from .notifications import review_checks_notify, review_items_opened_notify
from .targets import TargetRow, targets_write

CADENCE_GRANULARITIES = {"daily": (periods.MONTH, periods.QUARTER), "weekly": (periods.WEEK,)}
LOCK = "kpi-review-evaluation"


def _fields_message(errors: dict) -> str:
    return "; ".join(f"{k}: {v}" for k, v in errors.items())


@dataclass(frozen=True)
class Check:
    fired: bool
    skipped: str | None  # "sample" | "no_target" | "nothing_expected"
    actual: Decimal | int | None
    target: Decimal | None
    compare_to: Decimal | None
    attainment_pct: Decimal | None


def rule_check(*, rule: ReviewRule, value, denominator, target, expected) -> Check:
    """Does one KPI value fire the rule? Pure: every number comes in."""
    spec = catalog.get(rule.kpi_key)
    if target is None:
        return Check(False, "no_target", value, None, None, None)
    is_rate = spec.kind == catalog.RATIO
    if is_rate and (denominator or 0) < rule.min_sample:
        return Check(False, "sample", value, target, target, None)
    compare_to = Decimal(expected) if (rule.pace_aware and not is_rate) else Decimal(target)
    if not compare_to or value is None:
        return Check(False, "nothing_expected", value, target, compare_to, None)
    actual, threshold = Decimal(value), Decimal(rule.threshold_pct)
    if spec.direction == catalog.LOWER:
        if not actual:
            return Check(False, None, value, target, compare_to, None)
        pct, fired = compare_to * 100 / actual, compare_to * 100 < threshold * actual
    else:
        # Compare by multiplying, not dividing, so 70.0% is never rounded below 70.
        pct, fired = actual * 100 / compare_to, actual * 100 < threshold * compare_to
    return Check(fired, None, value, target, compare_to, pct.quantize(Decimal("0.1")))


def evaluation_window(*, cadence: str, granularity: str, as_of: date) -> tuple[date, date, date]:
    """(period_start, period_end, evaluated through) for a rule of `granularity`."""
    if cadence == "weekly":
        first = periods.week_start(as_of) - timedelta(days=7)
        return first, first + timedelta(days=6), first + timedelta(days=6)
    first = periods.period_start(granularity, as_of)
    return first, periods.period_end(granularity, first), as_of


def reviews_evaluate(*, cadence: str = "daily", as_of: date | None = None) -> dict:
    if cadence not in CADENCE_GRANULARITIES:
        raise ValueError(f"unknown cadence {cadence!r}")
    today = periods.today()
    if as_of is None:
        as_of = today - timedelta(days=1) if cadence == "daily" else today
    stats = {
        "cadence": cadence,
        "as_of": as_of.isoformat(),
        "rules": 0,
        "checked": 0,
        "fired": 0,
        "opened": 0,
        "already_open": 0,
        "skipped_sample": 0,
        "skipped_no_target": 0,
    }
    rules = ReviewRule.objects.filter(is_active=True, granularity__in=CADENCE_GRANULARITIES[cadence])
    timeline = definitions.approved_timeline()
    opened: dict[User, list[ReviewItem]] = defaultdict(list)  # one digest per person, not one mail per item
    with transaction.atomic(), xact_lock(LOCK):
        for rule in rules.order_by("pk"):
            stats["rules"] += 1
            _evaluate_rule(rule=rule, cadence=cadence, as_of=as_of, timeline=timeline, stats=stats, opened=opened)
        notices_items_opened(opened=opened)
        transaction.on_commit(lambda: review_items_opened_notify(opened=dict(opened)))
    return stats


def _evaluate_rule(*, rule, cadence, as_of, timeline, stats, opened) -> None:
    first, last, through = evaluation_window(cadence=cadence, granularity=rule.granularity, as_of=as_of)
    if through < first:
        return
    subjects = review_selectors.rule_subjects(rule)
    ids = [s[0] for s in subjects]
    sums_by_id = review_selectors.day_sums(scope=rule.scope, scope_ids=ids, first=first, last=through)
    # Outcome KPIs are judged on matured cohorts: meetings still waiting for FS are left out.
    pending = pending_outcomes(scope=rule.scope, scope_ids=ids, first=first, last=through)
    targets = targets_in_window(kpis=[rule.kpi_key], scope=rule.scope, scope_ids=ids, first=first, last=last)
    calendar = Calendar.for_months(first, last)
    open_keys = set(
        ReviewItem.objects.filter(rule=rule, status=ReviewItem.Status.OPEN, period_start=first).values_list(
            "scope_id", flat=True
        )
    )
    responsible_by_team: dict = {}  # subjects mostly share a team: one managers query per team
    for scope_id, team, workdays in subjects:
        stats["checked"] += 1
        sums = (sums_by_id.get(scope_id) or dict.fromkeys(MEASURE_FIELDS, 0)) | pending.get(scope_id, {})
        target = period_target(
            kpi=rule.kpi_key,
            monthly=targets,
            scope_id=scope_id,
            first=first,
            last=last,
            as_of=through,
            calendar=calendar,
            workdays=workdays,
        )
        value = kpi_value_from(kpi=rule.kpi_key, sums=sums, first=first, last=through, timeline=timeline, target=target)
        check = rule_check(
            rule=rule,
            value=value.value,
            denominator=value.denominator,
            target=value.target,
            expected=value.matured_expected if value.matured_expected is not None else Decimal(0),
        )
        if check.skipped == "sample":
            stats["skipped_sample"] += 1
        elif check.skipped == "no_target":
            stats["skipped_no_target"] += 1
        if not check.fired:
            continue
        stats["fired"] += 1
        if scope_id in open_keys:
            stats["already_open"] += 1
            continue
        team_key = team.pk if team else None
        if team_key not in responsible_by_team:
            responsible_by_team[team_key] = review_selectors.responsible_for(team)
        responsible, notify = responsible_by_team[team_key]
        try:
            with transaction.atomic():
                item = ReviewItem.objects.create(
                    rule=rule,
                    kpi_key=rule.kpi_key,
                    scope=rule.scope,
                    scope_id=scope_id,
                    team=team,
                    granularity=rule.granularity,
                    threshold_pct=rule.threshold_pct,
                    min_sample=rule.min_sample,
                    pace_aware=rule.pace_aware,
                    period_start=first,
                    as_of=through,
                    actual=check.actual,
                    target=check.target,
                    expected=check.compare_to,
                    attainment_pct=check.attainment_pct,
                    definition_versions=value.definition_versions,
                    hint=funnel.diagnosis(sums),
                    responsible=responsible,
                )
        except IntegrityError:  # opened by a concurrent run a moment ago
            stats["already_open"] += 1
            continue
        stats["opened"] += 1
        for person in notify:
            opened[person].append(item)


# --- re-checks -------------------------------------------------------------------------------------


def item_evaluate(*, item: ReviewItem, through: date, timeline) -> tuple[Check, date, dict]:
    """(the check, the period's first day, the definition versions) of the item's KPI for the period of
    its granularity that holds `through`, evaluated through that day under the rule as it fired."""
    first, last, through = evaluation_window(cadence="daily", granularity=item.granularity, as_of=through)
    workdays = review_selectors.item_workdays(item)
    sums = review_selectors.day_sums(scope=item.scope, scope_ids=[item.scope_id], first=first, last=through)
    targets = targets_in_window(
        kpis=[item.kpi_key], scope=item.scope, scope_ids=[item.scope_id], first=first, last=last
    )
    target = period_target(
        kpi=item.kpi_key,
        monthly=targets,
        scope_id=item.scope_id,
        first=first,
        last=last,
        as_of=through,
        calendar=Calendar.for_months(first, last),
        workdays=workdays,
    )
    value = kpi_value_from(
        kpi=item.kpi_key,
        sums=sums.get(item.scope_id) or dict.fromkeys(MEASURE_FIELDS, 0),
        first=first,
        last=through,
        timeline=timeline,
        target=target,
    )
    check = rule_check(
        rule=item, value=value.value, denominator=value.denominator, target=value.target, expected=value.expected
    )
    return check, first, value.definition_versions


def _as_stored(versions: dict) -> dict:
    return json.loads(json.dumps(versions))


def _definitions_changed(item: ReviewItem, last_versions: dict, *, through: date, timeline) -> bool:
    first, _last, through = evaluation_window(cadence="daily", granularity=item.granularity, as_of=through)
    now = kpi_meta(kpi=item.kpi_key, first=first, last=through, timeline=timeline).versions
    return _as_stored(now) != _as_stored(last_versions)


def reviews_recheck(*, today: date | None = None) -> dict:
    """Evaluate again the open items whose re-check date has come (through yesterday) and those whose
    definitions changed since their last evaluation; tell each item's managers once per run."""
    today = today or periods.today()
    through = today - timedelta(days=1)
    timeline = definitions.approved_timeline()
    stats = {"today": today.isoformat(), "rechecked": 0, "definition_changed": 0, "recovered": 0, "still_below": 0}
    told: dict[User, list[ReviewCheck]] = defaultdict(list)
    with transaction.atomic(), xact_lock(LOCK):
        due = set(review_selectors.rechecks_due_among(ReviewItem.objects.all(), on=today).values_list("pk", flat=True))
        open_items = ReviewItem.objects.filter(status=ReviewItem.Status.OPEN).select_related("team").order_by("pk")
        last_versions = review_selectors.last_versions_of([i.pk for i in open_items])
        people_by_team: dict = {}
        for item in open_items:
            if item.pk in due:
                reason = ReviewCheck.Reason.RECHECK
            elif _definitions_changed(
                item, last_versions.get(item.pk, item.definition_versions), through=through, timeline=timeline
            ):
                reason = ReviewCheck.Reason.DEFINITION
            else:
                continue
            review_check = _item_recheck(item=item, reason=reason, today=today, through=through, timeline=timeline)
            stats["rechecked" if reason == ReviewCheck.Reason.RECHECK else "definition_changed"] += 1
            stats["recovered" if review_check.recovered else "still_below"] += 1
            if item.team_id not in people_by_team:
                people_by_team[item.team_id] = review_selectors.responsible_for(item.team)[1]
            for person in people_by_team[item.team_id]:
                told[person].append(review_check)
        notices_items_rechecked(checks=told)
        transaction.on_commit(lambda: review_checks_notify(checks=dict(told)))
    return stats


def _item_recheck(*, item: ReviewItem, reason: str, today: date, through: date, timeline) -> ReviewCheck:
    check, first, versions = item_evaluate(item=item, through=through, timeline=timeline)
    review_check = ReviewCheck.objects.create(
        item=item,
        reason=reason,
        checked_on=today,
        period_start=first,
        through=through,
        actual=check.actual,
        target=check.target,
        expected=check.compare_to,
        attainment_pct=check.attainment_pct,
        fired=check.fired,
        skipped=check.skipped or "",
        definition_versions=versions,
    )
    if review_check.recovered and item.recovered_on is None:
        item.recovered_on = today
        item.save(update_fields=["recovered_on"])
    elif check.fired and item.recovered_on is not None:
        item.recovered_on = None
        item.save(update_fields=["recovered_on"])
    return review_check


# --- the PDCA trail -----------------------------------------------------------------------------


@transaction.atomic
def review_entry_add(
    *,
    item: ReviewItem,
    author: User,
    cause: str,
    next_action: str,
    recheck_on: date | None = None,
    new_target: Decimal | None = None,
    target_period_start: date | None = None,
) -> ReviewEntry:
    """One PDCA step. A new target is written to `target_period_start`, a period of the item's
    granularity from the current one on (by default the next one: the period that fired is past)."""
    errors = {}
    allowed = review_selectors.target_periods(granularity=item.granularity, today=periods.today())
    if new_target is not None and target_period_start is None:
        target_period_start = allowed[1]
    if new_target is not None and target_period_start not in allowed:
        errors["target_period"] = _("Choose the current period or one of the next ones.")
    if item.status != ReviewItem.Status.OPEN:
        errors["item"] = _("This item is closed.")
    if not cause.strip():
        errors["cause"] = _("Describe the cause.")
    if not next_action.strip():
        errors["next_action"] = _("Describe the next action.")
    if new_target is not None and new_target < 0:
        errors["new_target"] = _("A target cannot be negative.")
    if errors:
        raise ApplicationError(_fields_message(errors), fields=errors)
    entry = ReviewEntry.objects.create(
        item=item,
        author=author,
        cause=cause.strip(),
        next_action=next_action.strip(),
        recheck_on=recheck_on,
        new_target=new_target,
        target_period_start=target_period_start if new_target is not None else None,
    )
    if new_target is not None:  # set by hand: no longer the plan's, as on the targets page
        row = TargetRow(item.kpi_key, item.scope, item.scope_id, item.granularity, target_period_start, new_target)
        targets_write(rows=[row], user=author, source="review")
    return entry


@transaction.atomic
def review_item_close(*, item: ReviewItem, user: User, result: str) -> ReviewItem:
    errors = {}
    if item.status != ReviewItem.Status.OPEN:
        errors["item"] = _("This item is already closed.")
    if not result.strip():
        errors["result"] = _("Record the result before closing.")
    if not item.entries.exists():
        errors["entries"] = _("Record a cause and next action before closing.")
    if errors:
        raise ApplicationError(_fields_message(errors), fields=errors)
    item.status, item.result, item.closed_at = ReviewItem.Status.CLOSED, result.strip(), timezone.now()
    item.save(update_fields=["status", "result", "closed_at"])
    return item
