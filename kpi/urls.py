"""Every page's URL, grouped as the navigation names the pages."""

from django.urls import path

from .views import (
    boards,
    feeds,
    holidays,
    imports,
    inbox,
    integrations,
    jobs,
    kpi_sheet,
    lead_supply,
    leads,
    marketing,
    meetings,
    org_structure,
    planner,
    rep,
    reviews,
    targets,
    today,
    webhooks,
    weekly_review,
)

urlpatterns = [
    # Boards
    path("", boards.home, name="home"),
    path("team/", boards.my_team, name="my_team"),
    path("teams/<int:team_id>/", boards.team_board, name="team_board"),
    path("org/", boards.org_board, name="org_board"),
    # A rep's page and calls (the rep, the team's managers, ops)
    path("me/", rep.my_rep_page, name="my_rep_page"),
    path("reps/<int:rep_id>/", rep.rep_detail, name="rep_page"),
    path("reps/<int:rep_id>/calls/", rep.rep_call_list, name="rep_calls"),
    # Today (the rep's page) and its quick-log
    path("today/", today.today, name="today"),
    path("today/log/", today.quick_log, name="quick_log"),
    path("today/log/<int:pk>/undo/", today.quick_log_undo, name="quick_log_undo"),
    # Weekly review
    path("review/", weekly_review.weekly_review_home, name="weekly_review_home"),
    path("teams/<int:team_id>/review/", weekly_review.weekly_review, name="weekly_review"),
    path("teams/<int:team_id>/webhooks/", webhooks.team_webhooks, name="team_webhooks"),
    # Review items and their rules
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/badge/", inbox.inbox_badge, name="inbox_badge"),
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
    path("marketing/", marketing.marketing, name="marketing"),
    # KPI sheet: the agreed definitions, drafts and co-signing
    path("kpi-sheet/", kpi_sheet.kpi_sheet, name="kpi_sheet"),
    path("kpi-sheet/<slug:key>/draft/", kpi_sheet.kpi_draft, name="kpi_draft"),
    path("kpi-sheet/versions/<int:version_id>/decide/", kpi_sheet.kpi_decide, name="kpi_decide"),
    # Admin: imports, integrations, holidays, job health, org structure (under /accounts/ as before:
    # accounts/urls.py has no such path, so the request falls through to these patterns)
    path("imports/", imports.imports, name="imports"),
    path("imports/profiles/new/", imports.profile_save, name="import_profile_new"),
    path("imports/profiles/<int:profile_id>/", imports.profile_save, name="import_profile"),
    path("imports/profiles/<int:profile_id>/values/", imports.profile_values_add, name="import_profile_values"),
    path("imports/profiles/<int:profile_id>/delete/", imports.profile_delete, name="import_profile_delete"),
    path("imports/<int:job_id>/", imports.import_job, name="import_job"),
    path("imports/<int:job_id>/preview/", imports.import_preview, name="import_preview"),
    path("imports/<int:job_id>/start/", imports.import_start, name="import_start"),
    path("integrations/", integrations.integrations, name="integrations"),
    path("integrations/<int:integration_id>/revoke/", integrations.integration_revoke, name="integration_revoke"),
    path("holidays/", holidays.holidays, name="holidays"),
    path("holidays/<int:holiday_id>/delete/", holidays.holiday_delete, name="holiday_delete"),
    path("jobs/", jobs.job_health, name="job_health"),
    path("feeds/", feeds.feeds, name="feeds"),
    path("feeds/duplicates/<int:pair_id>/", feeds.call_duplicate_decide, name="call_duplicate_decide"),
    path("accounts/structure/", org_structure.org_structure, name="org_structure"),
]
