"""REST ingest for integrations: calls, email touches and meetings, up to 10,000 records a request.

Answered per record (created / unchanged / error with reasons); idempotent per source + external_id.
An integration's records take its source; an ops user replaying a payload by hand names one.
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

DEFAULT_OPS_SOURCE = "api"


class CallRecordSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=128)
    rep_email = serializers.EmailField()
    started_at = serializers.CharField(help_text="ISO 8601; without an offset, organisation local time")
    duration_seconds = serializers.IntegerField(required=False, min_value=0)
    direction = serializers.ChoiceField(["outbound", "inbound"], required=False)
    result = serializers.CharField(help_text="no_answer, busy, voicemail, gatekeeper, connected, wrong_number, failed")
    reached_target = serializers.BooleanField(required=False)
    appointment_set = serializers.BooleanField(required=False)
    lead_external_id = serializers.CharField(required=False)
    note = serializers.CharField(required=False)


class EmailRecordSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=128)
    rep_email = serializers.EmailField()
    sent_at = serializers.CharField()
    delivered = serializers.BooleanField(required=False, default=True)
    opened = serializers.BooleanField(required=False)
    replied = serializers.BooleanField(required=False)
    to_target = serializers.BooleanField(required=False, default=True)
    permission_granted = serializers.BooleanField(required=False)
    lead_external_id = serializers.CharField(required=False)


class MeetingRecordSerializer(serializers.Serializer):
    external_id = serializers.CharField(max_length=128)
    rep_email = serializers.EmailField()
    set_at = serializers.CharField()
    scheduled_for = serializers.CharField(required=False)
    kind = serializers.ChoiceField(["first", "proposal"], required=False)
    status = serializers.ChoiceField(
        ["scheduled", "held", "no_show", "qualified", "disqualified", "won", "lost"], required=False
    )
    amount = serializers.IntegerField(required=False, min_value=0)
    fs_owner_email = serializers.EmailField(required=False)
    call_external_id = serializers.CharField(required=False)
    lead_external_id = serializers.CharField(required=False)
    note = serializers.CharField(required=False)


_RESULT = inline_serializer(
    "IngestResult",
    {
        "created": serializers.IntegerField(),
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
                    "status": serializers.ChoiceField(["created", "unchanged", "error"]),
                    "errors": serializers.ListField(child=serializers.DictField(), required=False),
                },
            )
        ),
    },
)


def _request(name: str, record) -> serializers.Serializer:
    return inline_serializer(
        f"Ingest{name}Request",
        {
            "records": serializers.ListField(child=record, max_length=ingest.MAX_RECORDS),
            "source": serializers.CharField(required=False, help_text="ops users only; tokens use their own"),
        },
    )


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
        if isinstance(request.user, IntegrationPrincipal):
            source = request.user.integration.source
        else:
            source = str(payload.get("source") or DEFAULT_OPS_SOURCE).strip()
            if not source or len(source) > 64:
                _refuse("source", "1 to 64 characters")
        batch = self.ingest_function(records=records, source=source)
        return Response(batch.as_dict(), status=status.HTTP_200_OK)


def _refuse(field: str, reason: str) -> None:
    raise ApplicationError(f"{field}: {reason}", fields={field: reason})


class CallIngestView(_IngestView):
    ingest_function = staticmethod(ingest.calls_ingest)

    @extend_schema(request=_request("Calls", CallRecordSerializer()), responses=_RESULT, tags=["ingest"])
    def post(self, request):
        return super().post(request)


class EmailIngestView(_IngestView):
    ingest_function = staticmethod(ingest.emails_ingest)

    @extend_schema(request=_request("Emails", EmailRecordSerializer()), responses=_RESULT, tags=["ingest"])
    def post(self, request):
        return super().post(request)


class MeetingIngestView(_IngestView):
    ingest_function = staticmethod(ingest.meetings_ingest)

    @extend_schema(request=_request("Meetings", MeetingRecordSerializer()), responses=_RESULT, tags=["ingest"])
    def post(self, request):
        return super().post(request)
