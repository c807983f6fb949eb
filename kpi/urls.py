"""Page URLs, one module per product area so each area's routes live next to its views."""

from django.urls import include, path

from .views import dashboards

urlpatterns = [
    path("", dashboards.home, name="home"),
    path("today/", dashboards.today, name="today"),
    path("team/", dashboards.my_team, name="my_team"),
    path("teams/<int:team_id>/", dashboards.team_board, name="team_board"),
    path("org/", dashboards.org_board, name="org_board"),
    path("jobs/", dashboards.job_health, name="job_health"),
    path("", include("kpi.views.urls_engine")),
    path("", include("kpi.views.urls_ingestion")),
    path("", include("kpi.views.urls_planning")),
]
