"""kpi/selectors/definitions.py: the approved timeline, versions in range, the measures a version names."""

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
