"""URLs of the planning pages (included by kpi/urls.py)."""

from django.urls import path

from . import planning_planner, planning_reviews, planning_supply, planning_targets, planning_weekly

urlpatterns = [
    path("targets/", planning_targets.targets_page, name="targets"),
    path("planner/", planning_planner.planner_page, name="planner"),
    path("planner/plans/<int:pk>/", planning_planner.plan_detail, name="plan_detail"),
    path("planner/plans/<int:pk>/apply/", planning_planner.plan_apply, name="plan_apply"),
    path("lead-supply/", planning_supply.lead_supply, name="lead_supply"),
    path("reviews/", planning_reviews.review_items, name="review_items"),
    path("reviews/<int:pk>/", planning_reviews.review_item, name="review_item"),
    path("reviews/rules/", planning_reviews.review_rules, name="review_rules"),
    path("reviews/rules/<int:pk>/edit/", planning_reviews.review_rule_edit, name="review_rule_edit"),
    path("reviews/rules/<int:pk>/active/", planning_reviews.review_rule_active, name="review_rule_active"),
    path("review/", planning_weekly.weekly_review_home, name="weekly_review_home"),
    path("teams/<int:team_id>/review/", planning_weekly.weekly_review, name="weekly_review"),
]
