"""API routes of the engine area (included by kpi/api/urls.py)."""

from django.urls import path

from . import definitions, values

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
]
