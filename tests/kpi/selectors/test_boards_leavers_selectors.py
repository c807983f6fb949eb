"""kpi/selectors/boards.py: a deactivated rep stays on the boards of periods up to their last day and
leaves them after it; their calls still count in the team's totals."""

from datetime import date

import pytest

from accounts.services import user_deactivate
from kpi.selectors.boards import team_board

pytestmark = pytest.mark.django_db


def test_a_leaver_is_on_the_boards_up_to_their_last_day(team_a, rep, teammate):
    user_deactivate(user=rep, last_day=date(2026, 11, 13))

    def reps_on(granularity, day):
        rows, _totals = team_board(team=team_a, granularity=granularity, day=day, as_of=date(2026, 11, 20))
        return {row.rep.pk for row in rows}

    assert reps_on("month", date(2026, 11, 1)) == {rep.pk, teammate.pk}
    assert reps_on("day", date(2026, 11, 13)) == {rep.pk, teammate.pk}
    assert reps_on("day", date(2026, 11, 14)) == {teammate.pk}
    assert reps_on("week", date(2026, 11, 16)) == {teammate.pk}
    assert reps_on("month", date(2026, 12, 1)) == {teammate.pk}
