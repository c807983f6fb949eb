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

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Team, User

from .. import catalog, periods
from ..models import MEASURE_FIELDS, ReviewEntry, ReviewItem, ReviewRule, Rollup
from ..selectors import definitions, funnel
from ..selectors.calendar import Calendar
from ..selectors.targets import period_target, targets_in_window
from ..selectors.values import kpi_value_from
from .locks import xact_lock
from .targets import TargetRow, targets_write

CADENCE_GRANULARITIES = {"daily": (periods.MONTH, periods.QUARTER), "weekly": (periods.WEEK,)}
LOCK = "kpi-review-evaluation"
HINT_FACTOR = Decimal("0.8")
HINT_MIN_SAMPLE = 20


class ReviewError(ValueError):
    def __init__(self, errors: dict):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


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


def _subjects(rule: ReviewRule) -> list[tuple[int, Team | None, frozenset]]:
    """(scope_id, team, workdays) of everyone a rule watches."""
    if rule.scope == "org":
        return [(0, None, frozenset(range(5)))]
    if rule.scope == "team":
        teams = Team.objects.filter(department__code="is")
        if rule.scope_id is not None:
            teams = teams.filter(pk=rule.scope_id)
        return [(t.pk, t, frozenset(range(5))) for t in teams]
    reps = User.objects.filter(role=User.Role.REP, is_active=True, team__isnull=False).select_related("team")
    if rule.scope_id is not None:
        reps = reps.filter(pk=rule.scope_id)
    return [(r.pk, r.team, r.workday_set) for r in reps]


def _day_sums(scope: str, scope_ids: list[int], first: date, last: date) -> dict:
    rows = (
        Rollup.objects.filter(
            granularity=periods.DAY, scope=scope, scope_id__in=scope_ids, period_start__range=(first, last)
        )
        .values("scope_id")
        .annotate(**{f: Sum(f) for f in MEASURE_FIELDS})
    )
    return {r.pop("scope_id"): {k: (v or 0) for k, v in r.items()} for r in rows}


def diagnosis(sums: dict) -> str:
    """Where the subject's funnel leaks, walking it in order: the first step clearly under its benchmark
    (below 80% of it) names the cause. connect: calling hours and list quality; effective: the talk
    script; meeting: hearing and closing; volume when those rates hold."""
    rates = funnel.actual_rates(sums)
    for key, _num, den in funnel.STEPS[:3]:
        # A step with too few attempts says nothing yet: 8 conversations without a meeting is noise.
        if (sums.get(den) or 0) < HINT_MIN_SAMPLE:
            continue
        if rates[key] is not None and rates[key] < funnel.BENCHMARK_RATES[key] * HINT_FACTOR:
            return key
    return "volume"


def _responsible(team: Team | None) -> tuple[User | None, list[User]]:
    if team is None:
        people = list(User.objects.filter(role=User.Role.OPS, is_active=True).order_by("pk"))
    else:
        people = list(team.managers.filter(is_active=True).order_by("pk"))
    return (people[0] if people else None), people


def reviews_evaluate(*, cadence: str = "daily", as_of: date | None = None) -> dict:
    if cadence not in CADENCE_GRANULARITIES:
        raise ValueError(f"unknown cadence {cadence!r}")
    today = periods.local_date(timezone.now())
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
    subjects = _subjects(rule)
    ids = [s[0] for s in subjects]
    sums_by_id = _day_sums(rule.scope, ids, first, through)
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
        sums = sums_by_id.get(scope_id) or dict.fromkeys(MEASURE_FIELDS, 0)
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
            rule=rule, value=value.value, denominator=value.denominator, target=value.target, expected=value.expected
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
            responsible_by_team[team_key] = _responsible(team)
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
                    hint=diagnosis(sums),
                    responsible=responsible,
                )
        except IntegrityError:  # opened by a concurrent run a moment ago
            stats["already_open"] += 1
            continue
        stats["opened"] += 1
        transaction.on_commit(lambda item=item, notify=notify: _notify(item, notify))


def _notify(item: ReviewItem, people: list[User]) -> None:
    recipients = [p.email for p in people if p.email]
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Review needed: %(kpi)s at %(pct)s%% of target") % {
            "kpi": catalog.get(item.kpi_key).name_ja,
            "pct": item.attainment_pct,
        }
        body = _("A review rule fired for %(subject)s (%(period)s). Open the item: %(url)s") % {
            "subject": subject_label(item),
            "period": item.period_start.isoformat(),
            "url": settings.SITE_URL + reverse("review_item", args=[item.pk]),
        }
    send_mail(subject, body, None, recipients)


def subject_labels(items: list[ReviewItem]) -> dict[int, str]:
    """{item pk: who the item is about}, loading every rep named in one query (not one per item)."""
    reps = User.objects.in_bulk({i.scope_id for i in items if i.scope == "rep"})
    labels = {}
    for item in items:
        if item.scope == "rep":
            rep = reps.get(item.scope_id)
            labels[item.pk] = str(rep) if rep else f"#{item.scope_id}"
        elif item.scope == "team":
            labels[item.pk] = str(item.team) if item.team else f"#{item.scope_id}"
        else:
            labels[item.pk] = str(_("Organisation"))
    return labels


def subject_label(item: ReviewItem) -> str:
    return subject_labels([item])[item.pk]


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
        raise ReviewError(errors)
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
        raise ReviewError(errors)
    item.status, item.result, item.closed_at = ReviewItem.Status.CLOSED, result.strip(), timezone.now()
    item.save(update_fields=["status", "result", "closed_at"])
    return item


# --- rules: create, edit, (de)activate -----------------------------------------------------------
# One validation routine for every way a rule's fields come in (review_rule_clean). KPI and scope are
# fixed once a rule exists: its items and their PDCA trail are about that KPI and those people, so
# watching something else is a new rule. Every change is logged (who, when, each field from -> to)
# in django.contrib.admin's LogEntry, the one existing change log that fits (kpi/selectors/reviews.py
# rule_history reads it back).

RULE_FIELDS = ("kpi_key", "scope", "scope_id", "granularity", "threshold_pct", "min_sample", "pace_aware")
RULE_EDITABLE = ("granularity", "threshold_pct", "min_sample", "pace_aware")
RULE_DEFAULTS = {"scope": "rep", "granularity": periods.MONTH, "threshold_pct": "70", "min_sample": "30"}
MIN_SAMPLE_MAX = 1_000_000
_TENTH = Decimal("0.1")


def _kpi_key(raw) -> str:
    if raw not in catalog.REGISTRY:
        raise ValueError(_("Unknown KPI."))
    return raw


def _scope(raw) -> str:
    if raw not in ("rep", "team", "org"):
        raise ValueError(_("Choose rep, team or organisation."))
    return raw


def _scope_id(raw) -> int | None:
    if raw in (None, ""):
        return None  # everyone in the scope
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ValueError(_("Enter an id.")) from None


def _granularity(raw) -> str:
    if raw not in (periods.WEEK, periods.MONTH, periods.QUARTER):
        raise ValueError(_("Choose week, month or quarter."))
    return raw


def _threshold_pct(raw) -> Decimal:
    # The column keeps one decimal: 72.55 would be stored as 72.6 behind the user's back, so refuse it.
    try:
        value = Decimal(str(raw).strip())
        ok = 0 < value <= 200 and value == value.quantize(_TENTH)
    except (ValueError, ArithmeticError):  # "abc"; NaN refuses to compare
        ok = False
    if not ok:
        raise ValueError(_("Enter a percentage above 0 and up to 200, with at most one decimal (e.g. 70 or 72.5)."))
    return value.quantize(_TENTH)


def _min_sample(raw) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = -1
    if not 0 <= value <= MIN_SAMPLE_MAX:
        raise ValueError(_("Enter a whole number from 0 to 1,000,000."))
    return value


def _flag(raw) -> bool:
    # bool("false") is True: strings are read, not cast.
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "on", "yes"):
        return True
    if text in ("0", "false", "off", "no"):
        return False
    raise ValueError(_("Choose yes or no."))


RULE_PARSERS = {
    "kpi_key": _kpi_key,
    "scope": _scope,
    "scope_id": _scope_id,
    "granularity": _granularity,
    "threshold_pct": _threshold_pct,
    "min_sample": _min_sample,
    "pace_aware": _flag,
}


def review_rule_clean(*, data: dict, fields: tuple[str, ...]) -> dict:
    """The rule fields in `fields` parsed from `data`; a ReviewError naming every bad field otherwise.
    A missing or empty value is bad: callers that have defaults merge them in first."""
    values, errors = {}, {}
    for field in fields:
        try:
            values[field] = RULE_PARSERS[field](data.get(field))
        except ValueError as exc:
            errors[field] = str(exc)
    if errors:
        raise ReviewError(errors)
    return values


def review_rule_create(*, data: dict, user: User) -> ReviewRule:
    given = {k: v for k, v in data.items() if v not in (None, "")}
    values = review_rule_clean(data={"pace_aware": True, **RULE_DEFAULTS, **given}, fields=RULE_FIELDS)
    return ReviewRule.objects.create(**values, created_by=user)


@transaction.atomic
def review_rule_update(*, rule_id: int, data: dict, user: User) -> ReviewRule:
    """Threshold, minimum sample, pace-awareness and period; nothing is saved unless all of them are good."""
    values = review_rule_clean(data=data, fields=RULE_EDITABLE)
    return _rule_change(rule_id=rule_id, values=values, user=user)


@transaction.atomic
def review_rule_set_active(*, rule_id: int, active: bool, user: User) -> ReviewRule:
    """A deactivated rule is skipped by reviews_evaluate; the items it already opened stay open until
    someone closes them with a result (the PDCA trail is not cut short by switching the rule off)."""
    return _rule_change(rule_id=rule_id, values={"is_active": bool(active)}, user=user)


def _rule_change(*, rule_id: int, values: dict, user: User) -> ReviewRule:
    # Locked so two people saving at once each log the change from what the other left.
    rule = ReviewRule.objects.select_for_update().get(pk=rule_id)
    changes = {f: [_logged(getattr(rule, f)), _logged(v)] for f, v in values.items() if getattr(rule, f) != v}
    if not changes:
        return rule
    for field in changes:
        setattr(rule, field, values[field])
    rule.save(update_fields=list(changes))
    LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(ReviewRule),
        object_id=str(rule.pk),
        object_repr=str(rule)[:200],
        action_flag=CHANGE,
        change_message=json.dumps({"changed": changes}),
    )
    return rule


def _logged(value):
    return str(value) if isinstance(value, Decimal) else value
