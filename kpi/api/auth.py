"""Token authentication for integrations (phone systems, SFA/CRM).

A token belongs to an Integration, not a person, and has one scope: ingest events (a phone system, an
SFA) or read KPI values (a BI tool, a spreadsheet); kpi/api/permissions.py holds each view to its
scope. Only the SHA-256 of the token is stored; the token is shown once, when ops issues it
(kpi/services/integrations.py).
"""

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from ..models import Integration
from ..services.integrations import hash_token


class IntegrationPrincipal:
    """The request.user of an integration: authenticated, but no person and no role."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_ops = False
    is_superuser = False
    is_staff = False
    role = "integration"
    pk = None
    id = None
    team_id = None

    def __init__(self, integration: Integration):
        self.integration = integration

    @property
    def can_ingest(self) -> bool:
        return self.integration.scope == Integration.Scope.INGEST

    @property
    def can_read_values(self) -> bool:
        return self.integration.scope == Integration.Scope.READ

    def __str__(self) -> str:
        return f"integration:{self.integration.name}"


LAST_USED_RESOLUTION = timedelta(minutes=1)


class IntegrationTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            token = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token header.") from None
        integration = Integration.objects.filter(token_hash=hash_token(token), is_active=True).first()
        if integration is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        now = timezone.now()
        # The integrations page shows "last used" to the minute: stamping every request cost a write
        # and a WAL flush per call (3-9 ms of a single-call request).
        if integration.last_used_at is None or now - integration.last_used_at >= LAST_USED_RESOLUTION:
            Integration.objects.filter(pk=integration.pk).update(last_used_at=now)
        return IntegrationPrincipal(integration), integration

    def authenticate_header(self, request) -> str:
        return self.keyword
