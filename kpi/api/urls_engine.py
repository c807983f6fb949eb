"""API routes of the engine area (included by kpi/api/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
