"""API routes of the planning area (included by kpi/api/urls.py)."""

from django.urls import path

from . import planning

urlpatterns = [
    path("plans/", planning.PlanView.as_view(), name="api_plans"),
    path("review-items/", planning.ReviewItemList.as_view(), name="api_review_items"),
]
