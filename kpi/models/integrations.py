"""Integration tokens: a phone system or SFA pushing calls, emails and meetings through the API."""

from django.conf import settings
from django.db import models


class Integration(models.Model):
    """An external system allowed to ingest events and nothing else. Only a hash of the token is kept."""

    name = models.CharField(max_length=100, unique=True)
    source = models.CharField(max_length=64, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(max_length=8)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
