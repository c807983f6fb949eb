"""What the other departments can supply or absorb: marketing's lead supply and FS capacity per month."""

from django.conf import settings
from django.db import models

from .events import Lead


class LeadSupply(models.Model):
    """Leads marketing plans to supply, per month and channel."""

    month = models.DateField()
    channel = models.CharField(max_length=16, choices=Lead.Channel.choices)
    leads = models.PositiveIntegerField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "channel"], name="lead_supply_bucket")]


class FsCapacity(models.Model):
    """Meetings field sales can take in a month."""

    month = models.DateField(unique=True)
    meetings = models.PositiveIntegerField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
