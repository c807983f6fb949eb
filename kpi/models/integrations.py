"""Integration tokens: a phone system or SFA pushing calls, emails and meetings through the API, or a
BI tool / spreadsheet reading KPI values. A token has exactly one of the two scopes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Integration(models.Model):
    """An external system's token: it may ingest events, or read KPI values, never both. Only a hash of
    the token is kept."""

    class Scope(models.TextChoices):
        INGEST = "ingest", _("Ingest calls, emails and meetings")
        READ = "read", _("Read KPI values")

    name = models.CharField(max_length=100, unique=True)
    source = models.CharField(max_length=64, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(max_length=8)
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.INGEST)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
