"""kpi/selectors/reviews.py: the review badge counts the open items of the teams one manages."""

import pytest

from kpi.models import ReviewItem

pytestmark = pytest.mark.django_db


def test_review_badge_counts_the_open_items_of_the_teams_one_manages(evaluated_item, manager, outsider, team_b, ops):
    from kpi.selectors.reviews import open_count_for

    elsewhere = ReviewItem.objects.get(pk=evaluated_item.pk)
    elsewhere.pk, elsewhere.scope_id, elsewhere.team = None, outsider.pk, team_b
    elsewhere.save()
    closed = ReviewItem.objects.get(pk=evaluated_item.pk)
    closed.pk, closed.scope_id, closed.status = None, manager.pk, "closed"
    closed.save()
    assert (open_count_for(manager), open_count_for(ops), open_count_for(outsider)) == (1, 2, 0)
    team_b.managers.add(manager)
    assert open_count_for(manager) == 2
