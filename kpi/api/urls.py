"""REST API v1: every endpoint, one module per resource."""

from django.http import JsonResponse
from django.urls import path, re_path

from . import definitions, ingest, plans, review_items, targets, values


def not_found(request, rest=""):
    """Any other /api/v1/ address (e.g. a version id that is not a number): the API's error body, not
    the site's HTML 404 page."""
    return JsonResponse({"message": "Not found.", "extra": {"fields": {}}}, status=404)


urlpatterns = [
    path("kpi-values/", values.KpiValuesView.as_view(), name="api-kpi-values"),
    path("definitions/", definitions.DefinitionListView.as_view(), name="api-definitions"),
    path("definitions/<slug:key>/", definitions.DefinitionDetailView.as_view(), name="api-definition"),
    path("definitions/<slug:key>/versions/", definitions.DefinitionDraftView.as_view(), name="api-definition-draft"),
    path(
        "definition-versions/<int:version_id>/decision/",
        definitions.DefinitionDecisionView.as_view(),
        name="api-definition-decide",
    ),
    path("ingest/calls/", ingest.CallIngestView.as_view(), name="api-ingest-calls"),
    path("ingest/emails/", ingest.EmailIngestView.as_view(), name="api-ingest-emails"),
    path("ingest/meetings/", ingest.MeetingIngestView.as_view(), name="api-ingest-meetings"),
    path("plans/", plans.PlanView.as_view(), name="api_plans"),
    path("review-items/", review_items.ReviewItemList.as_view(), name="api_review_items"),
    path("targets/", targets.TargetListView.as_view(), name="api_targets"),
    path("targets/history/", targets.TargetHistoryView.as_view(), name="api_target_history"),
    re_path(r"^(?P<rest>[\s\S]*)$", not_found, name="api-not-found"),  # [\s\S]: a newline (%0A) in the path too
]
