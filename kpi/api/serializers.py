"""Shapes of the API: KPI values per period, definitions with versions and approvals.

Numbers travel as decimal strings (or null for "no value"), never floats: a count is "7", an amount
"500000", a rate "0.714286" (6 places), so clients never see binary rounding.
"""

from decimal import ROUND_HALF_UP, Decimal
from itertools import islice

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.permissions import SCOPE_ORG, SCOPE_REP, SCOPE_TEAM

from .. import bounds, catalog, periods
from ..models import DefinitionApproval, DefinitionAuditEntry, DefinitionVersion

# Dates outside these years cannot hold business data and overflow the period arithmetic. Reading may
# look further ahead than writing (kpi/bounds.py: to the end of next year), e.g. a long-range target.
MIN_YEAR, MAX_YEAR = bounds.MIN_DATE.year, 2100
MAX_PERIODS = 400


def refuse_dates_outside_read_years(attrs: dict, names=("start", "end")) -> None:
    """The one read-window check of the API's date parameters (values, targets, history)."""
    for name in names:
        if name in attrs and not MIN_YEAR <= attrs[name].year <= MAX_YEAR:
            raise serializers.ValidationError({name: f"must be a date between {MIN_YEAR} and {MAX_YEAR}."})


PLACES = Decimal("0.000001")


def decimal_text(value) -> str | None:
    if value is None:
        return None
    number = Decimal(value)
    if number != number.to_integral_value():
        number = number.quantize(PLACES, rounding=ROUND_HALF_UP)
    return format(number.normalize(), "f")


@extend_schema_field({"type": "string", "format": "decimal", "nullable": True, "example": "0.714286"})
class DecimalText(serializers.Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return decimal_text(value)


class KpiValuesQuery(serializers.Serializer):
    kpi = serializers.ChoiceField(choices=sorted(catalog.REGISTRY), help_text="A KPI key of the catalogue.")
    scope = serializers.ChoiceField(choices=[SCOPE_REP, SCOPE_TEAM, SCOPE_ORG])
    scope_id = serializers.IntegerField(
        required=False, min_value=0, help_text="Rep or team id; omit (or 0) for the organisation."
    )
    granularity = serializers.ChoiceField(choices=list(periods.GRANULARITIES))
    start = serializers.DateField(help_text="First day (YYYY-MM-DD); the period containing it is the first.")
    end = serializers.DateField(help_text="Last day (YYYY-MM-DD), inclusive.")

    def validate(self, attrs):
        scope, scope_id = attrs["scope"], attrs.get("scope_id")
        if scope == SCOPE_ORG:
            if scope_id not in (None, 0):
                raise serializers.ValidationError({"scope_id": "must be omitted or 0 for scope=org."})
            attrs["scope_id"] = 0
        elif scope_id is None:
            raise serializers.ValidationError({"scope_id": f"is required for scope={scope}."})
        refuse_dates_outside_read_years(attrs)
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": "must be on or after start."})
        # Stop counting past the limit: a 9999-year range of days would take seconds to count.
        spans = periods.iter_periods(attrs["granularity"], attrs["start"], attrs["end"])
        if sum(1 for _ in islice(spans, MAX_PERIODS + 1)) > MAX_PERIODS:
            raise serializers.ValidationError(
                {"end": f"the range spans more than {MAX_PERIODS} periods; ask for at most {MAX_PERIODS} at a time."}
            )
        return attrs


class KpiValueSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    numerator = DecimalText()
    denominator = DecimalText(help_text="null for count KPIs.")
    value = DecimalText(help_text="null when the denominator is zero (no value, shown as —).")
    target = DecimalText(help_text="null when no target is set.")
    expected = DecimalText(
        help_text="What the target expects by now (pace): business days passed, today by the share of working "
        "hours passed; equals target for a finished period and for rates. null when no target is set."
    )
    attainment = DecimalText(
        source="pace_attainment",
        help_text="value / expected (1 = 100%), the attainment the pages show; null without a value or target.",
    )
    period_attainment = DecimalText(
        source="attainment", help_text="value / target for the whole period (1 = 100%); null without a value or target."
    )
    pending = serializers.IntegerField(
        help_text="Outcome KPIs (qualified meetings, orders, their rates): meetings of the period whose FS outcome "
        "is still open. Rates leave them out of the denominator; a count's attainment is against the pace of "
        "the judged meetings only, null while none is judged. 0 for other KPIs."
    )
    definition_versions = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text="Definition key -> version numbers that produced the number; two when the period spans a change.",
    )


class KpiValuesResponse(serializers.Serializer):
    kpi = serializers.CharField()
    unit = serializers.CharField()
    scope = serializers.CharField()
    scope_id = serializers.IntegerField()
    granularity = serializers.CharField()
    results = KpiValueSerializer(many=True)


# A built-in version has no author and an audit entry of the system no actor: null, as documented.
class ApprovalSerializer(serializers.ModelSerializer):
    user = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = DefinitionApproval
        fields = ["department", "decision", "user", "comment", "decided_at"]


class VersionSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField(allow_null=True)
    approvals = ApprovalSerializer(many=True, read_only=True)

    class Meta:
        model = DefinitionVersion
        fields = [
            "id",
            "number",
            "status",
            "params",
            "effective_from",
            "reason",
            "created_by",
            "created_at",
            "approved_at",
            "approvals",
        ]


class AuditSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField(allow_null=True)
    version = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = DefinitionAuditEntry
        fields = ["at", "action", "actor", "version", "changes"]


class DefinitionSerializer(serializers.Serializer):
    """A KPI sheet row (kpi/selectors/definitions.py SheetRow)."""

    key = serializers.CharField(source="definition.key")
    name_ja = serializers.CharField(source="definition.name_ja")
    name_en = serializers.CharField(source="definition.name_en")
    kind = serializers.CharField(source="spec.kind")
    formula_ja = serializers.CharField(source="spec.formula_ja")
    formula_en = serializers.CharField(source="spec.formula_en")
    current_version = serializers.SerializerMethodField()
    versions = VersionSerializer(many=True, read_only=True)

    def get_current_version(self, row) -> int | None:
        return row.current.number if row.current else None


class DefinitionDetailSerializer(DefinitionSerializer):
    audit = AuditSerializer(many=True, read_only=True)


class DraftSerializer(serializers.Serializer):
    params = serializers.JSONField(help_text="Validated against the KPI's schema (kpi/conditions.py).")
    effective_from = serializers.DateField()
    reason = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
