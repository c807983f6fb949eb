"""Integration tokens: issue one (shown once; only its SHA-256 is stored) and revoke it."""

import hashlib
import secrets

from ..models import Integration


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def integration_issue_token(
    *, name: str, source: str, created_by=None, scope: str = Integration.Scope.INGEST
) -> tuple[Integration, str]:
    token = secrets.token_urlsafe(32)
    integration = Integration.objects.create(
        name=name,
        source=source,
        scope=scope,
        token_hash=hash_token(token),
        token_prefix=token[:8],
        created_by=created_by,
    )
    return integration, token


def integration_revoke_token(*, integration: Integration) -> None:
    Integration.objects.filter(pk=integration.pk).update(is_active=False)
