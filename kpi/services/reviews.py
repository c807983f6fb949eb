"""Review triggers: evaluate the rules, open one review item per fired rule and subject, keep the PDCA trail.

- daily: rules on a month (or quarter) are evaluated month-to-date through the last complete day
  (as_of defaults to yesterday: the job runs at 07:00, before anyone has called);
- weekly: rules on a week are evaluated on Monday for the week that just ended.
A count rule compares the actual with what the pace expects by as_of (pace-aware) or with the whole
period's target; a rate rule compares the rate with its target and fires only once its denominator
reaches the rule's minimum sample. "Below 70%" is strict: exactly 70.0% does not fire.
The responsible manager is the subject's team's first manager (every manager of the team is
emailed); organisation-scope items go to ops.
"""

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
from ..models import MEASURE_FIELDS, ReviewEntry, ReviewItem, ReviewRule
from ..selectors import definitions
from ..selectors import reviews as review_selectors
from ..selectors.calendar import Calendar
from ..selectors.funnel import pending_outcomes
from ..selectors.targets import period_target, targets_in_window
from ..selectors.values import kpi_value_from
from .notifications import review_item_opened_notify
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
    with transaction.atomic(), xact_lock(LOCK):
        for rule in rules.order_by("pk"):
            stats["rules"] += 1
            _evaluate_rule(rule=rule, cadence=cadence, as_of=as_of, timeline=timeline, stats=stats)
    return stats


def _evaluate_rule(*, rule, cadence, as_of, timeline, stats) -> None:
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
        transaction.on_commit(lambda item=item, notify=notify: review_item_opened_notify(item=item, people=notify))


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
) -> ReviewEntry:
    errors = {}
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
    )
    if new_target is not None:  # set by hand: no longer the plan's, as on the targets page
        row = TargetRow(item.kpi_key, item.scope, item.scope_id, item.granularity, item.period_start, new_target)
        targets_write(rows=[row], user=author)
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
