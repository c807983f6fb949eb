"""REST API v1, one module per product area."""

from django.urls import include, path

urlpatterns = [
    path("", include("kpi.api.urls_engine")),
    path("", include("kpi.api.urls_ingestion")),
    path("", include("kpi.api.urls_planning")),
]
