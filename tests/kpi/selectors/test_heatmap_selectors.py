"""kpi/selectors/heatmap.py: a weekday x hour cell says nothing until it has a minimum of calls."""

from decimal import Decimal

import pytest

from kpi.selectors.heatmap import MIN_CALLS_FOR_CELL, Cell, best_hours

pytestmark = pytest.mark.django_db


def test_one_connected_call_does_not_make_a_cell_100_percent():
    assert MIN_CALLS_FOR_CELL == 10
    assert (Cell(1, 1).thin, Cell(1, 1).rate) == (True, None)
    assert (Cell(9, 9).rate, Cell(10, 4).rate) == (None, Decimal("0.4"))


def test_best_hours_still_sum_the_weekdays():
    cells = {(0, 10): Cell(12, 6), (1, 10): Cell(8, 6), (0, 11): Cell(5, 5)}
    assert best_hours(cells) == [(10, Decimal(12) / 20, 20)]
