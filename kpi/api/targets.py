"""Targets API: list, bulk upsert and history, with the targets page's permissions (ops: every target;
a manager: their teams' and their teams' reps' targets; everyone else: 403).

Values travel in the unit people type them: a count as a whole number ("680"), a rate in percent
("45" = 45%), hours and calls per hour as decimals; each row says its `unit`.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from accounts import permissions

from .. import catalog, periods
from ..models import TargetChange
from ..selectors import targets as target_selectors
from ..services import targets as target_services
from .serializers import refuse_dates_outside_read_years

SCOPES = ["rep", "team", "org"]
ERROR = OpenApiResponse(description='{"message": ..., "extra": {"fields": {...}}}')


def _require_manager(user) -> None:
    """The targets page is for people who manage a team (and ops)."""
    permissions.require(user.is_ops or permissions.teams_managed_by(user).exists())


class TargetQuery(serializers.Serializer):
    kpi = serializers.ChoiceField(choices=sorted(catalog.REGISTRY), required=False)
    scope = serializers.ChoiceField(choices=SCOPES, required=False)
    scope_id = serializers.IntegerField(required=False, min_value=0, max_value=2**63 - 1)
    granularity = serializers.ChoiceField(choices=list(periods.GRANULARITIES), required=False)
    start = serializers.DateField(required=False, help_text="Periods starting on or after this day.")
    end = serializers.DateField(required=False, help_text="Periods starting on or before this day.")

    def validate(self, attrs):
        refuse_dates_outside_read_years(attrs)
        return attrs


@extend_schema_field({"type": "string", "enum": ["count", "percent", "jpy", "hours", "per_hour"]})
class _Unit(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="kpi_key", read_only=True, **kwargs)

    def to_representation(self, value):
        return target_services.unit_of(value)


@extend_schema_field({"type": "string", "format": "decimal", "nullable": True, "example": "45"})
class _Entry(serializers.Field):
    """A stored value shown in the unit people type (percent for rates)."""

    def __init__(self, source: str, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)
        self.value_source = source

    def to_representation(self, obj):
        return target_services.entry_text(obj.kpi_key, getattr(obj, self.value_source)) or None


class TargetSerializer(serializers.Serializer):
    kpi = serializers.CharField(source="kpi_key")
    scope = serializers.CharField()
    scope_id = serializers.IntegerField()
    granularity = serializers.CharField()
    period_start = serializers.DateField()
    value = _Entry("value", help_text='As typed: "680" calls, "45" for 45%.')
    unit = _Unit(help_text="count, percent, jpy, hours or per_hour.")
    updated_by = serializers.IntegerField(source="updated_by_id", allow_null=True)
    updated_at = serializers.DateTimeField()
    plan = serializers.IntegerField(source="plan_id", allow_null=True)


class TargetChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kpi = serializers.CharField(source="kpi_key")
    scope = serializers.CharField()
    scope_id = serializers.IntegerField()
    granularity = serializers.CharField()
    period_start = serializers.DateField()
    old_value = _Entry("old_value", help_text="null: there was no target.")
    new_value = _Entry("new_value", help_text="null: the target was deleted.")
    unit = _Unit()
    source = serializers.ChoiceField(choices=TargetChange.Source.choices)
    changed_by = serializers.IntegerField(source="changed_by_id", allow_null=True)
    changed_at = serializers.DateTimeField()
    plan = serializers.IntegerField(source="plan_id", allow_null=True)


class TargetEntrySerializer(serializers.Serializer):
    kpi = serializers.CharField(max_length=48)
    scope = serializers.ChoiceField(choices=SCOPES)
    scope_id = serializers.IntegerField(min_value=0, max_value=2**63 - 1, help_text="0 for the organisation.")
    granularity = serializers.ChoiceField(choices=list(periods.GRANULARITIES))
    period_start = serializers.DateField(help_text="The first day of its day, week (Monday), month or quarter.")
    value = serializers.CharField(
        allow_null=True, max_length=32, help_text='As people type it ("680", "45" for 45%); null deletes the target.'
    )


class TargetUpsertSerializer(serializers.Serializer):
    targets = TargetEntrySerializer(many=True, allow_empty=False, max_length=20_000)


class _Filtered(ListAPIView):
    def filters(self) -> dict:
        _require_manager(self.request.user)
        query = TargetQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)


class TargetListView(_Filtered):
    serializer_class = TargetSerializer

    def get_queryset(self):
        return target_selectors.targets_for_user(user=self.request.user, **self.filters())

    @extend_schema(parameters=[TargetQuery], responses={200: TargetSerializer(many=True), 400: ERROR, 403: ERROR})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=TargetUpsertSerializer,
        responses={
            200: inline_serializer("TargetUpsertResult", {"written": serializers.IntegerField()}),
            400: ERROR,
            403: ERROR,
        },
        description="Create, change or (value null) delete targets; refused whole, nothing written, when any "
        "entry is bad (400) or is a scope you do not manage (403). Every change is kept in the history.",
    )
    def post(self, request):
        _require_manager(request.user)
        data = TargetUpsertSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        written = target_services.targets_upsert(entries=data.validated_data["targets"], user=request.user)
        return Response({"written": written})


class TargetHistoryView(_Filtered):
    serializer_class = TargetChangeSerializer

    def get_queryset(self):
        return target_selectors.target_changes_for_user(user=self.request.user, **self.filters())

    @extend_schema(parameters=[TargetQuery], responses={200: TargetChangeSerializer(many=True), 400: ERROR, 403: ERROR})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
