"""KPI definitions over the API: the KPI sheet's rows (kpi/selectors/definitions.py) with versions,
approvals and history; drafting and deciding go through the same service (and rules) as the page."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import periods
from ..errors import ApplicationError
from ..permissions import definition_for_user, definition_version_for_user
from ..selectors import definitions as definition_reads
from ..services import definitions
from .serializers import (
    DecisionSerializer,
    DefinitionDetailSerializer,
    DefinitionSerializer,
    DraftSerializer,
    VersionSerializer,
)


class DefinitionListView(generics.ListAPIView):
    serializer_class = DefinitionSerializer

    def get_queryset(self):
        return definition_reads.definitions_for_sheet(user=self.request.user, as_of=periods.today())


class DefinitionDetailView(generics.RetrieveAPIView):
    serializer_class = DefinitionDetailSerializer

    def get_object(self):
        row = definition_reads.definition_for_sheet(
            user=self.request.user, key=self.kwargs["key"], as_of=periods.today()
        )
        if row is None:
            raise Http404
        return row


def _service_call(fn, **kwargs):
    try:
        return fn(**kwargs)
    except ApplicationError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        lines = [f"{path}: {text}" for path, text in exc.fields.items()] or [exc.message]
        raise ValidationError({"params": lines}) from None


class DefinitionDraftView(APIView):
    @extend_schema(operation_id="definition_draft", request=DraftSerializer, responses={201: VersionSerializer})
    def post(self, request: Request, key: str) -> Response:
        definition_for_user(request.user, key)
        body = DraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = _service_call(
            definitions.definition_version_draft, key=key, actor=request.user, **body.validated_data
        )
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)


class DefinitionDecisionView(APIView):
    @extend_schema(operation_id="definition_decide", request=DecisionSerializer, responses={200: VersionSerializer})
    def post(self, request: Request, version_id: int) -> Response:
        definition_version_for_user(request.user, version_id)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        version = _service_call(
            definitions.definition_version_decide, version_id=version_id, actor=request.user, **body.validated_data
        )
        return Response(VersionSerializer(version).data)
