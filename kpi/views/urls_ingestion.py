"""URLs of the ingestion pages (included by kpi/urls.py)."""

from django.urls import path

from . import ingestion, ingestion_ops, ingestion_sales

urlpatterns = [
    path("imports/", ingestion.imports, name="imports"),
    path("imports/mappings/", ingestion.mapping_save, name="mapping_save"),
    path("imports/<int:job_id>/", ingestion.import_job, name="import_job"),
    path("integrations/", ingestion_ops.integrations, name="integrations"),
    path("integrations/<int:integration_id>/revoke/", ingestion_ops.integration_revoke, name="integration_revoke"),
    path("today/log/", ingestion_sales.quick_log, name="quick_log"),
    path("meetings/", ingestion_sales.fs_meetings, name="fs_meetings"),
    path("leads/", ingestion_sales.leads, name="leads"),
]
