"""REST ingest for integrations: calls, email touches and meetings, up to 10,000 records a request.

Answered per record (created / updated / unchanged / error with reasons); idempotent per source +
external_id, and correctable: a record re-sent with changed fields updates the stored one (its
previous values kept in the audit trail). An integration's records take its source; an ops user
replaying a payload by hand names one. The request schema is built from the same field tables the
checker enforces (kpi/services/imports/records.py via kpi/api/schema.py).
"""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from ..errors import ApplicationError
from ..services.imports import records as ingest
from .auth import IntegrationPrincipal, IntegrationTokenAuthentication
from .permissions import IsIntegrationOrOps
from .schema import ingest_request_schema

DEFAULT_OPS_SOURCE = "api"

_RESULT = inline_serializer(
    "IngestResult",
    {
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "errors": serializers.IntegerField(),
        "possible_duplicates": serializers.IntegerField(
            help_text="calls of this batch another source already sent (same rep, within a few seconds); "
            "both are kept until ops decide on the data-feeds page"
        ),
        "results": serializers.ListField(
            child=inline_serializer(
                "IngestRecordResult",
                {
                    "external_id": serializers.CharField(),
                    "status": serializers.ChoiceField(["created", "updated", "unchanged", "error"]),
                    "errors": serializers.ListField(
                        child=inline_serializer(
                            "IngestFieldError",
                            {
                                "field": serializers.CharField(),
                                "code": serializers.CharField(),
                                "reason": serializers.CharField(),
                                "value": serializers.CharField(),
                            },
                        ),
                        required=False,
                    ),
                },
            )
        ),
    },
)


def _request(specs, description: str) -> dict:
    return {"application/json": ingest_request_schema(specs, description, ingest.MAX_RECORDS)}


class _IngestView(APIView):
    # Token first: a bad or revoked token is then answered 401 with WWW-Authenticate: Token.
    authentication_classes = [IntegrationTokenAuthentication, SessionAuthentication]
    permission_classes = [IsIntegrationOrOps]
    ingest_function = staticmethod(ingest.calls_ingest)

    def post(self, request):
        payload = request.data
        records = payload.get("records") if isinstance(payload, dict) else None
        if not isinstance(records, list) or not records or not all(isinstance(r, dict) for r in records):
            _refuse("records", "a non-empty list of objects is required")
        if len(records) > ingest.MAX_RECORDS:
            _refuse("records", f"at most {ingest.MAX_RECORDS} per request (got {len(records)})")
        unknown = sorted(set(payload) - {"records", "source"})
        if unknown:
            _refuse(unknown[0], "unknown field: a request carries records and, for ops users, source")
        if isinstance(request.user, IntegrationPrincipal):
            source = request.user.integration.source
            author = ingest.Author(integration_id=request.user.integration.pk)
        else:
            raw = payload.get("source")
            source = (raw if isinstance(raw, str) else DEFAULT_OPS_SOURCE if raw is None else "").strip()
            if not source or len(source) > 64 or "\x00" in source or _broken(source):
                _refuse("source", "1 to 64 characters")
            author = ingest.Author(user_id=request.user.pk)
        batch = self.ingest_function(records=records, source=source, author=author)
        return Response(batch.as_dict(), status=status.HTTP_200_OK)


def _broken(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _refuse(field: str, reason: str) -> None:
    raise ApplicationError(f"{field}: {reason}", fields={field: reason})


class CallIngestView(_IngestView):
    ingest_function = staticmethod(ingest.calls_ingest)

    @extend_schema(
        request=_request(ingest.CALL_FIELDS, "One call of a phone system."),
        responses={200: _RESULT},
        tags=["ingest"],
    )
    def post(self, request):
        return super().post(request)


class EmailIngestView(_IngestView):
    ingest_function = staticmethod(ingest.emails_ingest)

    @extend_schema(
        request=_request(ingest.EMAIL_FIELDS, "One email touch."),
        responses={200: _RESULT},
        tags=["ingest"],
    )
    def post(self, request):
        return super().post(request)


class MeetingIngestView(_IngestView):
    ingest_function = staticmethod(ingest.meetings_ingest)

    @extend_schema(
        request=_request(
            ingest.MEETING_FIELDS,
            "One meeting IS set for FS. Re-send a stored meeting with status (and amount_yen when won) to "
            "record its FS outcome; the fields a re-sent record leaves out keep their stored values.",
        ),
        responses={200: _RESULT},
        tags=["ingest"],
    )
    def post(self, request):
        return super().post(request)
