"""Review items API: the items the caller may see, with their rule as it fired."""

from rest_framework import serializers
from rest_framework.generics import ListAPIView

from ..models import ReviewItem
from ..selectors import reviews as review_selectors


class ReviewItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewItem
        fields = [
            "id",
            "status",
            "kpi_key",
            "scope",
            "scope_id",
            "team",
            "granularity",
            "threshold_pct",
            "min_sample",
            "pace_aware",
            "period_start",
            "as_of",
            "actual",
            "target",
            "expected",
            "attainment_pct",
            "definition_versions",
            "hint",
            "responsible",
            "opened_at",
            "closed_at",
            "result",
        ]


class ReviewItemList(ListAPIView):
    serializer_class = ReviewItemSerializer

    def get_queryset(self):
        return review_selectors.items_of_status(user=self.request.user, status=self.request.query_params.get("status"))
