"""KPI definitions over the API: the catalogue with versions, approvals and history; drafting and
deciding go through the same service (and rules) as the KPI sheet page."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import periods
from ..models import DefinitionApproval, DefinitionVersion, KpiDefinition
from ..services import definitions
from .serializers import (
    DecisionSerializer,
    DefinitionDetailSerializer,
    DefinitionSerializer,
    DraftSerializer,
    VersionSerializer,
)


def _definitions():
    versions = DefinitionVersion.objects.select_related("created_by").prefetch_related(
        Prefetch("approvals", queryset=DefinitionApproval.objects.select_related("user"))
    )
    return KpiDefinition.objects.prefetch_related(Prefetch("versions", queryset=versions))


def _current_context() -> dict:
    timeline = definitions.approved_timeline()
    today = periods.local_date(timezone.now())
    return {"current": {key: definitions.params_on(timeline, key, today) for key in timeline}}


class DefinitionListView(generics.ListAPIView):
    serializer_class = DefinitionSerializer
    queryset = _definitions()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **_current_context()}


class DefinitionDetailView(generics.RetrieveAPIView):
    serializer_class = DefinitionDetailSerializer
    lookup_field = "key"

    def get_queryset(self):
        return _definitions().prefetch_related("audit__actor", "audit__version")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **_current_context()}


def _service_call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except definitions.ApprovalError as exc:
        raise PermissionDenied(str(exc)) from None
    except definitions.InvalidParams as exc:
        raise ValidationError({"params": exc.errors}) from None


class DefinitionDraftView(APIView):
    @extend_schema(operation_id="definition_draft", request=DraftSerializer, responses={201: VersionSerializer})
    def post(self, request: Request, key: str) -> Response:
        get_object_or_404(KpiDefinition, key=key)
        body = DraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = _service_call(
            definitions.definition_version_draft, key=key, actor=request.user, **body.validated_data
        )
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class DefinitionDecisionView(APIView):
    @extend_schema(operation_id="definition_decide", request=DecisionSerializer, responses={200: VersionSerializer})
    def post(self, request: Request, version_id: int) -> Response:
        get_object_or_404(DefinitionVersion, pk=version_id)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = _service_call(
            definitions.definition_version_decide, version_id=version_id, actor=request.user, **body.validated_data
        )
        return Response(VersionSerializer(version).data)
