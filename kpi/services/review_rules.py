"""Review rules: create, edit, (de)activate, each change logged.

Values come in parsed (kpi/forms/reviews.py). KPI and scope are fixed once a rule exists: its items
and their PDCA trail are about that KPI and those people, so watching something else is a new rule.
Every change is logged (who, when, each field from -> to) in django.contrib.admin's LogEntry, the one
existing change log that fits (kpi/selectors/reviews.py rule_history reads it back).
"""

import json
from decimal import Decimal

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from accounts.models import User

from ..models import ReviewRule


def review_rule_create(
    *,
    user: User,
    kpi_key: str,
    scope: str,
    scope_id: int | None,
    granularity: str,
    threshold_pct: Decimal,
    min_sample: int,
    pace_aware: bool,
) -> ReviewRule:
    return ReviewRule.objects.create(
        kpi_key=kpi_key,
        scope=scope,
        scope_id=scope_id,
        granularity=granularity,
        threshold_pct=threshold_pct,
        min_sample=min_sample,
        pace_aware=pace_aware,
        created_by=user,
    )


@transaction.atomic
def review_rule_update(
    *, rule_id: int, user: User, granularity: str, threshold_pct: Decimal, min_sample: int, pace_aware: bool
) -> ReviewRule:
    """Period, threshold, minimum sample and pace-awareness, saved together."""
    values = {"granularity": granularity, "threshold_pct": threshold_pct, "min_sample": min_sample}
    return _rule_change(rule_id=rule_id, values={**values, "pace_aware": pace_aware}, user=user)


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
