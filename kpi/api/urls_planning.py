"""API routes of the planning area (included by kpi/api/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
