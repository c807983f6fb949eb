"""Plans: from an orders goal back to calls per rep per business day."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
