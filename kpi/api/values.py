"""GET /api/v1/kpi-values/: one KPI for one scope, per period, read from rollups."""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import permissions

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
            "names the definition versions that produced it."
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
        values = kpi_series(
            kpi=q["kpi"],
            scope=q["scope"],
            scope_id=q["scope_id"],
            granularity=q["granularity"],
            start=q["start"],
            end=q["end"],
            as_of=periods.today(),
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
