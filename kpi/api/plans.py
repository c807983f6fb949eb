"""Plans API: compute (and optionally save) a plan from an orders goal back to calls per rep per day."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import permissions

from .. import periods
from ..forms.planner import plan_input_parse
from ..selectors.plans import plan_preview
from ..services import planner


class PlanRequestSerializer(serializers.Serializer):
    team = serializers.IntegerField()
    month = serializers.CharField(help_text="YYYY-MM or YYYY-MM-DD")
    goal_kind = serializers.ChoiceField(choices=["orders", "revenue"], default="orders")
    goal_value = serializers.CharField()
    rate_connect = serializers.CharField(required=False, allow_blank=True)
    rate_effective = serializers.CharField(required=False, allow_blank=True)
    rate_meeting = serializers.CharField(required=False, allow_blank=True)
    rate_qualified = serializers.CharField(required=False, allow_blank=True)
    rate_win = serializers.CharField(required=False, allow_blank=True)
    avg_order_amount = serializers.CharField(required=False, allow_blank=True)
    save = serializers.BooleanField(default=False)


class PlanView(APIView):
    @extend_schema(request=PlanRequestSerializer, responses={200: dict, 201: dict})
    def post(self, request):
        data = PlanRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        team = permissions.team_for_user(request.user, values.pop("team"), manage=True)
        save = values.pop("save")
        # Bad fields raise ApplicationError: the API's one exception handler answers 400 with each field.
        plan_input = plan_input_parse(team=team, data=values)
        if save:
            plan = planner.plan_save(plan_input=plan_input, as_of=periods.today(), user=request.user)
            return Response({"id": plan.pk, "version": plan.version, **plan.result}, status=status.HTTP_201_CREATED)
        return Response(plan_preview(plan_input=plan_input, as_of=periods.today()))
