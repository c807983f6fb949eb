"""API permission defaults.

Every API view requires a signed-in person by default (settings.REST_FRAMEWORK), so an integration
token can never read dashboards, KPI values or definitions. Ingest endpoints opt in to integrations
explicitly with IsIntegrationOrOps.
"""

from rest_framework.permissions import BasePermission

from accounts import permissions

from .auth import IntegrationPrincipal


class IsPerson(BasePermission):
    message = "This endpoint needs a signed-in user; integration tokens may only ingest."

    def has_permission(self, request, view) -> bool:
        return permissions.is_person(request.user)


class IsIntegrationOrOps(BasePermission):
    """Ingestion: an integration token, or an ops user (e.g. replaying a payload by hand)."""

    message = "Only integration tokens and ops users may ingest."

    def has_permission(self, request, view) -> bool:
        if isinstance(request.user, IntegrationPrincipal):
            return True
        return permissions.can_ingest_by_hand(request.user)
