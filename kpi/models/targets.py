"""Targets per KPI, scope and period."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .rollups import Granularity, Scope


class Target(models.Model):
    kpi_key = models.CharField(max_length=48)
    scope = models.CharField(max_length=4, choices=Scope.choices)
    scope_id = models.BigIntegerField()
    granularity = models.CharField(max_length=8, choices=Granularity.choices)
    period_start = models.DateField()
    # A count for count KPIs, a fraction (0.25 = 25%) for rates.
    value = models.DecimalField(max_digits=14, decimal_places=4)
    plan = models.ForeignKey("kpi.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="targets")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kpi_key", "scope", "scope_id", "granularity", "period_start"], name="target_bucket"
            ),
        ]
        indexes = [models.Index(fields=["scope", "scope_id", "period_start"], name="target_scope_period")]

    def __str__(self) -> str:
        return f"{self.kpi_key} {self.scope}:{self.scope_id} {self.granularity}@{self.period_start}={self.value}"


class TargetChange(models.Model):
    """One change of one target: who, when, the value before and after (None: no target), and the path
    it came by. Written by kpi/services/targets.py with every write, never edited."""

    class Source(models.TextChoices):
        GRID = "grid", _("Targets grid")
        CSV = "csv", _("CSV import")
        PLAN = "plan", _("Plan")
        REVIEW = "review", _("Review item")
        API = "api", _("API")

    kpi_key = models.CharField(max_length=48)
    scope = models.CharField(max_length=4, choices=Scope.choices)
    scope_id = models.BigIntegerField()
    granularity = models.CharField(max_length=8, choices=Granularity.choices)
    period_start = models.DateField()
    old_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    new_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    plan = models.ForeignKey("kpi.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["scope", "scope_id", "period_start"], name="target_change_scope"),
            models.Index(fields=["-changed_at"], name="target_change_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi_key} {self.scope}:{self.scope_id} {self.old_value}->{self.new_value} ({self.source})"
