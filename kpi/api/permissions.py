"""API permission defaults.

Every API view requires a signed-in person by default (settings.REST_FRAMEWORK), so an integration
token can never read dashboards, definitions or plans. Tokens have one scope each (kpi/api/auth.py):
ingest endpoints opt in to ingest-scoped tokens with IsIntegrationOrOps, the KPI values endpoint to
read-scoped tokens with IsPersonOrReadToken.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts import permissions

from .auth import IntegrationPrincipal


class IsPerson(BasePermission):
    message = "This endpoint needs a signed-in user; integration tokens may only ingest or read KPI values."

    def has_permission(self, request, view) -> bool:
        return permissions.is_person(request.user)


class IsIntegrationOrOps(BasePermission):
    """Ingestion: an ingest-scoped integration token, or an ops user (e.g. replaying a payload by hand)."""

    message = "Only ingest-scoped integration tokens and ops users may ingest."

    def has_permission(self, request, view) -> bool:
        if isinstance(request.user, IntegrationPrincipal):
            return request.user.can_ingest
        return permissions.can_ingest_by_hand(request.user)


class IsPersonOrReadToken(BasePermission):
    """KPI values for BI tools and spreadsheets: a signed-in person (their own scopes), or a read-scoped
    token (GET only; every team and rep, as an organisation-wide report)."""

    message = "This endpoint needs a signed-in user or a token with the read scope."

    def has_permission(self, request, view) -> bool:
        if isinstance(request.user, IntegrationPrincipal):
            return request.user.can_read_values and request.method in SAFE_METHODS
        return permissions.is_person(request.user)


def reads_every_scope(user) -> bool:
    """A read-scoped token reads KPI values of the whole organisation, its teams and its reps."""
    return isinstance(user, IntegrationPrincipal) and user.can_read_values
