"""URLs of the engine pages (included by kpi/urls.py)."""

from django.urls import path

from . import engine_holidays, engine_sheet

urlpatterns = [
    path("kpi-sheet/", engine_sheet.kpi_sheet, name="kpi_sheet"),
    path("kpi-sheet/<slug:key>/draft/", engine_sheet.kpi_draft, name="kpi_draft"),
    path("kpi-sheet/versions/<int:version_id>/decide/", engine_sheet.kpi_decide, name="kpi_decide"),
    path("holidays/", engine_holidays.holidays, name="holidays"),
    path("holidays/<int:holiday_id>/delete/", engine_holidays.holiday_delete, name="holiday_delete"),
]
