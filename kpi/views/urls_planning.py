"""URLs of the planning pages (included by kpi/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
