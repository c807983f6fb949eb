"""GET /api/v1/kpi-values/: one KPI for one scope, per period, read from rollups."""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import permissions
from accounts.models import User
from accounts.permissions import SCOPE_REP

from .. import catalog, periods
from ..selectors.values import kpi_series
from .permissions import IsPersonOrReadToken, reads_every_scope
from .serializers import KpiValuesQuery, KpiValuesResponse


class KpiValuesView(APIView):
    permission_classes = [IsPersonOrReadToken]

    @extend_schema(
        operation_id="kpi_values",
        summary="KPI values per period",
        description=(
            "One value per day, ISO week, month or quarter overlapping [start, end], empty periods included. "
            "Ratios are ratios of the summed measures; a zero denominator gives value null. Each period "
            "names the definition versions that produced it. `expected` is the pace (what the target expects by "
            "now, today counted by the working hours passed) and `attainment` is against it, as on the pages; "
            "`period_attainment` is against the whole period's target."
        ),
        parameters=[KpiValuesQuery],
        responses={200: KpiValuesResponse},
    )
    def get(self, request: Request) -> Response:
        query = KpiValuesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        if not (reads_every_scope(request.user) or permissions.can_view_scope(request.user, q["scope"], q["scope_id"])):
            raise PermissionDenied(f"You may not see {q['scope']} {q['scope_id']}.")
        rep = User.objects.filter(pk=q["scope_id"]).first() if q["scope"] == SCOPE_REP else None
        values = kpi_series(
            kpi=q["kpi"],
            scope=q["scope"],
            scope_id=q["scope_id"],
            granularity=q["granularity"],
            start=q["start"],
            end=q["end"],
            as_of=periods.today(),
            # A rep's pace follows their working days and hours, as on their pages.
            workdays=rep.workday_set if rep else range(5),
            work_hours=rep.work_hours_per_day if rep else None,
        )
        body = {
            "kpi": q["kpi"],
            "unit": catalog.get(q["kpi"]).unit,
            "scope": q["scope"],
            "scope_id": q["scope_id"],
            "granularity": q["granularity"],
            "results": values,
        }
        return Response(KpiValuesResponse(body).data)
