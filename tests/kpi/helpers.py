"""Helpers several kpi test files share: rollup rows written directly (review and planner tests need
exact sums, not thousands of calls), definition drafts agreed by the three departments, review rules,
month targets and a snapshot of the rollup tables."""

from datetime import date

from kpi import conditions
from kpi import conditions as definition_conditions
from kpi.models import (
    MEASURE_FIELDS,
    HourRollup,
    ReviewRule,
    Rollup,
    Target,
)
from kpi.services import definitions
from kpi.services.rollups import rollups_rebuild

NOV1, NOV15 = date(2026, 11, 1), date(2026, 11, 15)


def day_row(scope: str, scope_id: int, day: date, **measures) -> Rollup:
    return Rollup.objects.create(granularity="day", scope=scope, scope_id=scope_id, period_start=day, **measures)


def agree(key: str, conditions: dict, *signers) -> None:
    params = {**definition_conditions.default_params(key), "conditions": conditions}
    version = definitions.definition_version_draft(
        key=key, params=params, effective_from=NOV1, reason="Voicemail is not a conversation", actor=signers[0]
    )
    for user in signers:
        definitions.definition_version_decide(version_id=version.pk, actor=user, approve=True)
    rollups_rebuild()


def threshold(seconds: int) -> dict:
    params = conditions.default_params("effective_calls")
    return {**params, "conditions": {"min_duration_seconds": seconds}}


def draft(actor, seconds=90, effective_from=NOV15, reason="Shorter talks already carry a hearing"):
    return definitions.definition_version_draft(
        key="effective_calls", params=threshold(seconds), effective_from=effective_from, reason=reason, actor=actor
    )


def snapshot():
    rows = Rollup.objects.values_list("granularity", "scope", "scope_id", "period_start", *MEASURE_FIELDS)
    hours = HourRollup.objects.values_list("rep_id", "date", "hour", "calls", "connects", "effective_calls")
    return sorted(rows), sorted(hours)


def rule_for(scope: str, scope_id: int | None, **fields) -> ReviewRule:
    defaults = {"kpi_key": "connect_rate", "granularity": "month", "threshold_pct": 70, "min_sample": 30}
    return ReviewRule.objects.create(scope=scope, scope_id=scope_id, **{**defaults, **fields})


def month_target(user, kpi, value):
    return Target.objects.create(
        kpi_key=kpi, scope="rep", scope_id=user.pk, granularity="month", period_start=NOV1, value=value
    )
