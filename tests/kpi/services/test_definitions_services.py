"""Definitions choose which call results (dispositions) count as connects and effective calls.

One rep, 2026-11-10 (Tokyo), five outbound calls:
    200 s connected, 150 s voicemail, 30 s gatekeeper, 5 s connected, 0 s no_answer
Defaults (every result counts; connects >= 1 s, effective >= 120 s):  connects 4, effective 2
connects counts only "connected" from 11-01:                         connects 2, effective 1
  (an effective call must first be a connect, so the 150 s voicemail drops out of both)
effective_calls counts only "connected", connects left alone:         connects 4, effective 1
"""

from datetime import date

import pytest

from kpi import conditions
from kpi import conditions as definition_conditions
from kpi.errors import ApplicationError
from kpi.models import CallLog, DefinitionAuditEntry, DefinitionVersion, JobRun, Rollup
from kpi.selectors.values import kpi_series
from kpi.services import definitions
from kpi.services.rollups import rollups_rebuild
from tests.factories import CallFactory, tokyo
from tests.kpi.helpers import draft, threshold

pytestmark = pytest.mark.django_db

NOV1, NOV10 = date(2026, 11, 1), date(2026, 11, 10)


@pytest.mark.parametrize(
    ("results", "message"),
    [
        (["connected", "hung_up"], "conditions/results/1: 'hung_up' is not one of"),
        ([], "conditions/results"),
        (["connected", "connected"], "non-unique"),
    ],
)
def test_unknown_or_empty_results_are_refused(manager, results, message):
    defaults = definition_conditions.default_params("connects")
    params = {**defaults, "conditions": {"min_duration_seconds": 1, "results": results}}
    with pytest.raises(ApplicationError, match=message):
        definitions.definition_version_draft(
            key="connects", params=params, effective_from=NOV1, reason="x", actor=manager
        )
    assert not DefinitionVersion.objects.filter(status="draft").exists()


NOV10, NOV15, NOV20 = date(2026, 11, 10), date(2026, 11, 15), date(2026, 11, 20)


@pytest.fixture
def calls(rep):
    for day in (10, 20):
        for seconds in (100, 130):
            CallFactory(
                rep=rep,
                started_at=tokyo(2026, 11, day, 10, 0),
                duration_seconds=seconds,
                result=CallLog.Result.CONNECTED,
            )
    rollups_rebuild()


def effective(rep, granularity, day):
    return kpi_series(
        kpi="effective_calls", scope="rep", scope_id=rep.pk, granularity=granularity, start=day, end=day, as_of=day
    )[0]


def day_row(rep, day):
    return Rollup.objects.get(granularity="day", scope="rep", scope_id=rep.pk, period_start=day)


def test_mid_month_change_recomputes_from_its_date_and_the_month_reports_both_versions(
    calls, rep, manager, fs_user, marketer, django_capture_on_commit_callbacks
):
    before_10 = day_row(rep, NOV10)
    assert (effective(rep, "day", NOV10).value, effective(rep, "day", NOV20).value) == (1, 1)

    version = draft(manager)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for user in (manager, fs_user, marketer):
            definitions.definition_version_decide(version_id=version.pk, actor=user, approve=True)
    assert len(callbacks) == 1  # the backfill, enqueued once the third approval committed

    after_10 = day_row(rep, NOV10)
    assert after_10.effective_calls == 1
    assert after_10.computed_at == before_10.computed_at  # not even rewritten
    assert effective(rep, "day", NOV10).definition_versions == {"effective_calls": [1], "calls": [1], "connects": [1]}
    nov20 = effective(rep, "day", NOV20)
    assert (nov20.value, nov20.definition_versions["effective_calls"]) == (2, [2])
    month = effective(rep, "month", NOV10)
    assert month.value == 3
    assert month.definition_versions["effective_calls"] == [1, 2]
    backfill = JobRun.objects.get(name="backfill_rollups")
    assert backfill.ok and backfill.detail["first"] == "2026-11-15"

    # A full rebuild later computes each day with its own version: the same rows.
    rows = sorted(Rollup.objects.values_list("granularity", "scope", "scope_id", "period_start", "effective_calls"))
    rollups_rebuild()
    assert sorted(
        Rollup.objects.values_list("granularity", "scope", "scope_id", "period_start", "effective_calls")
    ) == (rows)


def test_a_draft_without_all_three_approvals_never_affects_a_number(
    calls, rep, manager, fs_user, django_capture_on_commit_callbacks
):
    version = draft(manager)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        definitions.definition_version_decide(version_id=version.pk, actor=manager, approve=True)
        definitions.definition_version_decide(version_id=version.pk, actor=fs_user, approve=True)
    assert callbacks == []
    rollups_rebuild()  # even a rebuild ignores the draft
    assert effective(rep, "day", NOV20).value == 1
    assert effective(rep, "month", NOV20).definition_versions["effective_calls"] == [1]
    version.refresh_from_db()
    assert version.status == DefinitionVersion.Status.DRAFT


def test_a_rep_can_neither_draft_nor_approve(rep, manager):
    with pytest.raises(ApplicationError) as refused:
        draft(rep)
    assert refused.value.status == 403
    version = draft(manager)
    with pytest.raises(ApplicationError) as refused:
        definitions.definition_version_decide(version_id=version.pk, actor=rep, approve=True)
    assert refused.value.status == 403
    assert not version.approvals.exists()


def test_ops_proposes_but_does_not_sign_for_a_department(ops):
    version = draft(ops)
    with pytest.raises(ApplicationError):
        definitions.definition_version_decide(version_id=version.pk, actor=ops, approve=True)


def test_a_department_decides_once(manager, team_b):
    from tests.factories import UserFactory

    other_manager = UserFactory(role="manager", team=team_b)
    version = draft(manager)
    definitions.definition_version_decide(version_id=version.pk, actor=manager, approve=True)
    with pytest.raises(ApplicationError, match="is has already decided"):
        definitions.definition_version_decide(version_id=version.pk, actor=other_manager, approve=True)
    assert version.approvals.count() == 1


def test_one_rejection_rejects_the_draft(manager, fs_user, marketer):
    version = draft(manager)
    definitions.definition_version_decide(version_id=version.pk, actor=manager, approve=True)
    definitions.definition_version_decide(version_id=version.pk, actor=fs_user, approve=False, comment="too loose")
    version.refresh_from_db()
    assert version.status == DefinitionVersion.Status.REJECTED
    with pytest.raises(ApplicationError, match="rejected"):
        definitions.definition_version_decide(version_id=version.pk, actor=marketer, approve=True)
    # The definition is free for a new proposal.
    assert draft(manager, seconds=100).number == 3


def test_audit_trail_says_who_did_what_when(manager, fs_user, marketer, django_capture_on_commit_callbacks):
    version = draft(manager)
    with django_capture_on_commit_callbacks(execute=True):
        for user in (manager, fs_user, marketer):
            definitions.definition_version_decide(version_id=version.pk, actor=user, approve=True, comment="ok")
    entries = list(DefinitionAuditEntry.objects.filter(version=version).order_by("id"))
    assert [(e.action, e.actor) for e in entries] == [
        ("drafted", manager),
        ("approved", manager),
        ("approved", fs_user),
        ("approved", marketer),
        ("activated", None),
    ]
    assert entries[0].changes["from"]["conditions"]["min_duration_seconds"] == 120
    assert entries[0].changes["to"]["conditions"] == {"min_duration_seconds": 90}
    assert entries[0].changes["effective_from"] == "2026-11-15"
    assert [e.changes["department"] for e in entries[1:4]] == ["is", "fs", "marketing"]
    assert all(e.at is not None for e in entries)
    version.refresh_from_db()
    assert version.status == DefinitionVersion.Status.APPROVED and version.approved_at is not None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"conditions": {"min_duration_seconds": -5}}, "conditions/min_duration_seconds"),
        ({"conditions": {"min_duration_seconds": "90"}}, "is not of type 'integer'"),
        ({"conditions": {"min_duration_seconds": 90, "python": "import os"}}, "Additional properties"),
        ({"direction": "sideways"}, "direction"),
        ({"review_cadence": "hourly"}, "review_cadence"),
    ],
)
def test_invalid_parameters_are_refused_with_the_field_named(manager, params, message):
    with pytest.raises(ApplicationError, match=message):
        definitions.definition_version_draft(
            key="effective_calls",
            params={**threshold(90), **params},
            effective_from=NOV15,
            reason="x",
            actor=manager,
        )
    assert not DefinitionVersion.objects.filter(status="draft").exists()
    assert not DefinitionAuditEntry.objects.filter(action="drafted").exists()


def test_invalid_parameters_answer_400_with_the_path_named(manager):
    with pytest.raises(ApplicationError) as invalid:
        draft(manager, seconds=-1)
    assert invalid.value.status == 400
    assert list(invalid.value.fields) == ["conditions/min_duration_seconds"]


def test_meeting_rate_denominator_must_be_one_of_the_choices(manager):
    params = {**conditions.default_params("meeting_rate"), "denominator": "emails_sent"}
    with pytest.raises(ApplicationError, match="denominator"):
        definitions.definition_version_draft(
            key="meeting_rate", params=params, effective_from=NOV15, reason="x", actor=manager
        )


def test_reason_is_required_and_unknown_kpis_refused(manager):
    with pytest.raises(ApplicationError, match="reason"):
        draft(manager, reason="  ")
    with pytest.raises(ApplicationError, match="unknown KPI"):
        definitions.definition_version_draft(key="vibes", params={}, effective_from=NOV15, reason="x", actor=manager)


def test_one_draft_at_a_time_and_no_date_before_the_agreed_version(manager, fs_user, marketer):
    version = draft(manager)
    with pytest.raises(ApplicationError, match="already waiting"):
        draft(fs_user, seconds=100)
    for user in (manager, fs_user, marketer):
        definitions.definition_version_decide(version_id=version.pk, actor=user, approve=True)
    with pytest.raises(ApplicationError, match="on or after 2026-11-15"):
        draft(manager, seconds=100, effective_from=NOV10)
    assert draft(manager, seconds=100, effective_from=NOV15).number == 3
