"""Every page's URL, grouped as the navigation names the pages."""

from django.urls import path

from .views import (
    boards,
    holidays,
    imports,
    integrations,
    jobs,
    kpi_sheet,
    lead_supply,
    leads,
    meetings,
    org_structure,
    planner,
    reviews,
    targets,
    today,
    weekly_review,
)

urlpatterns = [
    # Boards
    path("", boards.home, name="home"),
    path("team/", boards.my_team, name="my_team"),
    path("teams/<int:team_id>/", boards.team_board, name="team_board"),
    path("org/", boards.org_board, name="org_board"),
    # Today (the rep's page) and its quick-log
    path("today/", today.today, name="today"),
    path("today/log/", today.quick_log, name="quick_log"),
    path("today/log/<int:pk>/undo/", today.quick_log_undo, name="quick_log_undo"),
    # Weekly review
    path("review/", weekly_review.weekly_review_home, name="weekly_review_home"),
    path("teams/<int:team_id>/review/", weekly_review.weekly_review, name="weekly_review"),
    # Review items and their rules
    path("reviews/", reviews.review_items, name="review_items"),
    path("reviews/<int:pk>/", reviews.review_item, name="review_item"),
    path("reviews/rules/", reviews.review_rules, name="review_rules"),
    path("reviews/rules/<int:pk>/edit/", reviews.review_rule_edit, name="review_rule_edit"),
    path("reviews/rules/<int:pk>/active/", reviews.review_rule_active, name="review_rule_active"),
    # Planner
    path("planner/", planner.planner_page, name="planner"),
    path("planner/plans/<int:pk>/", planner.plan_detail, name="plan_detail"),
    path("planner/plans/<int:pk>/apply/", planner.plan_apply, name="plan_apply"),
    # Targets
    path("targets/", targets.targets_page, name="targets"),
    # Meetings (FS)
    path("meetings/", meetings.fs_meetings, name="fs_meetings"),
    # Leads and lead supply (marketing)
    path("leads/", leads.leads, name="leads"),
    path("lead-supply/", lead_supply.lead_supply, name="lead_supply"),
    # KPI sheet: the agreed definitions, drafts and co-signing
    path("kpi-sheet/", kpi_sheet.kpi_sheet, name="kpi_sheet"),
    path("kpi-sheet/<slug:key>/draft/", kpi_sheet.kpi_draft, name="kpi_draft"),
    path("kpi-sheet/versions/<int:version_id>/decide/", kpi_sheet.kpi_decide, name="kpi_decide"),
    # Admin: imports, integrations, holidays, job health, org structure (under /accounts/ as before:
    # accounts/urls.py has no such path, so the request falls through to these patterns)
    path("imports/", imports.imports, name="imports"),
    path("imports/mappings/", imports.mapping_save, name="mapping_save"),
    path("imports/<int:job_id>/", imports.import_job, name="import_job"),
    path("integrations/", integrations.integrations, name="integrations"),
    path("integrations/<int:integration_id>/revoke/", integrations.integration_revoke, name="integration_revoke"),
    path("holidays/", holidays.holidays, name="holidays"),
    path("holidays/<int:holiday_id>/delete/", holidays.holiday_delete, name="holiday_delete"),
    path("jobs/", jobs.job_health, name="job_health"),
    path("accounts/structure/", org_structure.org_structure, name="org_structure"),
]
