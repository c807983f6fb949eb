"""Every KPI of the catalogue against hand-computed numbers, read the way dashboards read them
(rollups -> kpi_series), for one rep on Monday 2026-11-02 and the month around it.

Rep works 7.5 h a day. 2026-11-02 (Tokyo), outbound calls unless said otherwise:
  c1  0 s no answer                                    call
  c2  45 s, reached the decision maker                 call, connect, target connect
  c3  180 s, decision maker, gave permission           call, connect, target connect, effective, permission
  c4  130 s, follow-up                                 call, connect, effective, follow-up, connector
  c5  0 s, follow-up                                   call, follow-up
  c6  60 s, c7 30 s                                    call, connect (x2)
  c8  inbound 300 s                                    no call attempt (but an active day)
  e1  to the target, delivered, opened, replied        sent, delivered, opened, target attempt, target connect
  e2  not to the target, opened, replied, follow-up    sent, delivered, opened, follow-up, connector
  e3  to the target, bounced                           sent, target attempt
  e4  to the target, delivered, gave permission        sent, delivered, target attempt, permission
  m1 first won 500,000 JPY; m2 proposal qualified; m3 first disqualified; m4 first lost (FS had judged it
  qualified)
Measures: calls 7, connects 5, target_connects 2+1 = 3, target_attempts 7+3 = 10, effective_calls 2,
follow_ups 2+1 = 3, connectors 1+1 = 2, emails 4/3/2, meetings 4, qualified 3, permissions 2, orders 1,
order_amount 500,000, work_hours 7.5.
2026-11-04: calls 0 s, 0 s and 200 s (effective) -> month: calls 10, connects 6, effective 3, hours 15.
"""

from datetime import date
from decimal import Decimal

import pytest

from kpi import catalog, conditions
from kpi.models import CallLog, Meeting
from kpi.selectors import definitions as definition_reads
from kpi.selectors.values import kpi_series
from kpi.services import definitions
from kpi.services.rollups import rollups_rebuild
from tests.factories import CallFactory, EmailFactory, MeetingFactory, tokyo

pytestmark = pytest.mark.django_db

D = Decimal


NOV2, NOV4 = date(2026, 11, 2), date(2026, 11, 4)


DAY_EXPECTED = {
    # key: (numerator, denominator, value)
    "calls": (7, None, 7),
    "connects": (5, None, 5),
    "target_connects": (3, None, 3),
    "target_attempts": (10, None, 10),
    "effective_calls": (2, None, 2),
    "follow_ups": (3, None, 3),
    "connectors": (2, None, 2),
    "emails_sent": (4, None, 4),
    "emails_delivered": (3, None, 3),
    "emails_opened": (2, None, 2),
    "meetings": (4, None, 4),
    "qualified_meetings": (3, None, 3),
    "permissions": (2, None, 2),
    "orders": (1, None, 1),
    "order_amount": (D(500_000), None, D(500_000)),
    "work_hours": (D("7.5"), None, D("7.5")),
    "calls_per_hour": (7, D("7.5"), D(7) / D("7.5")),
    "connect_rate": (5, 7, D(5) / D(7)),
    "target_connect_rate": (3, 10, D("0.3")),
    "effective_call_rate": (2, 7, D(2) / D(7)),
    "follow_up_connect_rate": (2, 3, D(2) / D(3)),
    "open_rate": (2, 3, D(2) / D(3)),
    "meeting_rate": (4, 5, D("0.8")),
    "qualified_meeting_rate": (3, 4, D("0.75")),
    "permission_rate": (2, 3, D(2) / D(3)),
    # m2 is qualified and still open: the rate is judged on the 3 meetings with a final outcome.
    "order_rate": (1, 3, D(1) / D(3)),
}


MONTH_EXPECTED = {
    "calls": (10, None, 10),
    "effective_calls": (3, None, 3),
    "work_hours": (D(15), None, D(15)),
    "calls_per_hour": (10, D(15), D(10) / D(15)),
    # (5 + 1) / (7 + 3) = 0.6; the mean of the daily rates would be (5/7 + 1/3) / 2 = 0.524
    "connect_rate": (6, 10, D("0.6")),
    "effective_call_rate": (3, 10, D("0.3")),
    "target_connect_rate": (3, 13, D(3) / D(13)),
    "meeting_rate": (4, 6, D(4) / D(6)),
}


@pytest.fixture
def day(rep):
    rep.work_hours_per_day = D("7.5")
    rep.save()
    connected, at = CallLog.Result.CONNECTED, tokyo(2026, 11, 2, 10, 0)
    CallFactory(rep=rep, started_at=at)
    CallFactory(rep=rep, started_at=at, duration_seconds=45, result=connected, reached_target=True)
    CallFactory(
        rep=rep, started_at=at, duration_seconds=180, result=connected, reached_target=True, permission_granted=True
    )
    CallFactory(rep=rep, started_at=at, duration_seconds=130, result=connected, is_follow_up=True)
    CallFactory(rep=rep, started_at=at, is_follow_up=True)
    CallFactory(rep=rep, started_at=at, duration_seconds=60, result=connected)
    CallFactory(rep=rep, started_at=at, duration_seconds=30, result=connected)
    CallFactory(rep=rep, started_at=at, duration_seconds=300, result=connected, direction=CallLog.Direction.INBOUND)
    EmailFactory(rep=rep, to_target=True, delivered=True, opened=True, replied=True)
    EmailFactory(rep=rep, to_target=False, delivered=True, opened=True, replied=True, is_follow_up=True)
    EmailFactory(rep=rep, to_target=True, delivered=False)
    EmailFactory(rep=rep, to_target=True, delivered=True, permission_granted=True)
    MeetingFactory(rep=rep, status=Meeting.Status.WON, amount=D(500_000))
    MeetingFactory(rep=rep, kind=Meeting.Kind.PROPOSAL, status=Meeting.Status.QUALIFIED)
    MeetingFactory(rep=rep, status=Meeting.Status.DISQUALIFIED)
    MeetingFactory(rep=rep, status=Meeting.Status.LOST)
    later = tokyo(2026, 11, 4, 10, 0)
    CallFactory(rep=rep, started_at=later)
    CallFactory(rep=rep, started_at=later)
    CallFactory(rep=rep, started_at=later, duration_seconds=200, result=connected)
    rollups_rebuild()
    return rep


def value_of(kpi, rep, granularity, start, end):
    return kpi_series(kpi=kpi, scope="rep", scope_id=rep.pk, granularity=granularity, start=start, end=end, as_of=end)


def test_every_catalogue_kpi_has_a_hand_computed_day_figure():
    assert set(DAY_EXPECTED) == set(catalog.REGISTRY)


@pytest.mark.parametrize("kpi", sorted(DAY_EXPECTED))
def test_day_value(day, kpi):
    (v,) = value_of(kpi, day, "day", NOV2, NOV2)
    assert (v.numerator, v.denominator, v.value) == DAY_EXPECTED[kpi]
    assert v.definition_versions == {key: [1] for key in definition_reads.measure_keys_for(kpi)}


@pytest.mark.parametrize("kpi", sorted(MONTH_EXPECTED))
def test_month_ratio_is_ratio_of_sums(day, kpi):
    (v,) = value_of(kpi, day, "month", NOV2, NOV2)
    assert v.period_start == date(2026, 11, 1)
    assert (v.numerator, v.denominator, v.value) == MONTH_EXPECTED[kpi]


@pytest.mark.parametrize("kpi", sorted(k for k, spec in catalog.REGISTRY.items() if spec.kind == catalog.RATIO))
def test_zero_denominator_is_no_value(day, kpi):
    """A day without activity: every ratio is None (shown as —), never 0 and never an error."""
    (v,) = value_of(kpi, day, "day", date(2026, 11, 5), date(2026, 11, 5))
    assert (v.numerator, v.denominator, v.value) == (0, 0, None)
    assert v.attainment is None


def test_a_count_on_an_empty_day_is_zero_not_none(day):
    (v,) = value_of("calls", day, "day", date(2026, 11, 5), date(2026, 11, 5))
    assert v.value == 0


@pytest.mark.parametrize(
    ("denominator", "expected"),
    [
        ("connects", (4, 5, D("0.8"))),
        ("effective_calls", (4, 2, D(2))),
        ("target_connects", (4, 3, D(4) / D(3))),
        ("calls", (4, 7, D(4) / D(7))),
    ],
)
def test_meeting_rate_denominator_is_the_definitions_choice(day, manager, fs_user, marketer, denominator, expected):
    params = {**conditions.default_params("meeting_rate"), "denominator": denominator}
    version = definitions.definition_version_draft(
        key="meeting_rate", params=params, effective_from=date(2026, 11, 1), reason="agree the base", actor=manager
    )
    for user in (manager, fs_user, marketer):
        definitions.definition_version_decide(version_id=version.pk, actor=user, approve=True)
    (v,) = value_of("meeting_rate", day, "day", NOV2, NOV2)
    assert (v.numerator, v.denominator, v.value) == expected
    used = {key: [1] for key in definition_reads.measure_keys_for("meeting_rate", params)}
    assert v.definition_versions == {**used, "meeting_rate": [2]}
    assert denominator in used and "meetings" in used


def test_team_and_org_carry_the_same_numbers(day, team_a):
    for scope, scope_id in (("team", team_a.pk), ("org", 0)):
        (v,) = kpi_series(
            kpi="connect_rate", scope=scope, scope_id=scope_id, granularity="day", start=NOV2, end=NOV2, as_of=NOV2
        )
        assert (v.numerator, v.denominator) == (5, 7)


def test_iso_week_and_quarter(day):
    (week,) = value_of("calls", day, "week", NOV4, NOV4)
    assert (week.period_start, week.value) == (NOV2, 10)
    (quarter,) = value_of("order_amount", day, "quarter", NOV4, NOV4)
    assert (quarter.period_start, quarter.value) == (date(2026, 10, 1), D(500_000))
