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

import pytest

from kpi.selectors import definitions as definition_reads
from kpi.services import definitions
from tests.kpi.helpers import draft

pytestmark = pytest.mark.django_db


def test_versions_name_the_upstream_definitions_a_measure_applies():
    assert definition_reads.measure_keys_for("effective_call_rate") == (
        "effective_call_rate",
        "effective_calls",
        "calls",
        "connects",
    )
    assert definition_reads.measure_keys_for("order_rate") == ("order_rate", "orders", "meetings")


NOV10, NOV15, NOV20 = date(2026, 11, 10), date(2026, 11, 15), date(2026, 11, 20)


def test_timeline_spans_and_versions_in_range(manager, fs_user, marketer):
    version = draft(manager)
    for user in (manager, fs_user, marketer):
        definitions.definition_version_decide(version_id=version.pk, actor=user, approve=True)
    timeline = definition_reads.approved_timeline()
    spans = [(s.number, s.start, s.end) for s in timeline["effective_calls"]]
    assert spans == [(1, date(2000, 1, 1), date(2026, 11, 14)), (2, NOV15, None)]
    assert definition_reads.params_on(timeline, "effective_calls", date(2026, 11, 14)).number == 1
    assert definition_reads.params_on(timeline, "effective_calls", NOV15).number == 2
    keys = ("effective_calls",)
    assert definition_reads.versions_in_range(timeline, keys, date(2026, 11, 1), date(2026, 11, 14)) == {
        "effective_calls": [1]
    }
    assert definition_reads.versions_in_range(timeline, keys, date(2026, 11, 9), date(2026, 11, 15)) == {
        "effective_calls": [1, 2]
    }
