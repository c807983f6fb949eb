"""KGI reverse plans and what the other departments can supply or absorb."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .events import Lead


class Plan(models.Model):
    class Goal(models.TextChoices):
        ORDERS = "orders", _("Orders")
        REVENUE = "revenue", _("Revenue (JPY)")

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="plans")
    month = models.DateField()
    goal_kind = models.CharField(max_length=8, choices=Goal.choices, default=Goal.ORDERS)
    goal_value = models.DecimalField(max_digits=16, decimal_places=0)
    version = models.PositiveIntegerField(default=1)
    # Conversion rates used (edited or trailing), with where each came from.
    rates = models.JSONField(default=dict)
    # The walk back through the funnel, as computed when saved.
    result = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "-version"]
        constraints = [models.UniqueConstraint(fields=["team", "month", "version"], name="plan_version")]


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
