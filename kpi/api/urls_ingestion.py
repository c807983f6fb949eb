"""API routes of the ingestion area (included by kpi/api/urls.py)."""

from django.urls import path

from . import ingest

urlpatterns = [
    path("ingest/calls/", ingest.CallIngestView.as_view(), name="api-ingest-calls"),
    path("ingest/emails/", ingest.EmailIngestView.as_view(), name="api-ingest-emails"),
    path("ingest/meetings/", ingest.MeetingIngestView.as_view(), name="api-ingest-meetings"),
]
