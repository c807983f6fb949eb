"""Review triggers and the PDCA trail they open."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .rollups import Granularity, Scope


class ReviewRule(models.Model):
    kpi_key = models.CharField(max_length=48)
    scope = models.CharField(max_length=4, choices=Scope.choices, default=Scope.REP)
    # Null: every rep (or team) in the organisation; set: one rep, team or the org.
    scope_id = models.BigIntegerField(null=True, blank=True)
    # month: evaluated daily on month-to-date; week: evaluated on Monday for the past week.
    granularity = models.CharField(max_length=8, choices=Granularity.choices, default=Granularity.MONTH)
    threshold_pct = models.DecimalField(max_digits=5, decimal_places=1, default=70)
    pace_aware = models.BooleanField(default=True)
    # A rate rule fires only once its denominator reaches this many (e.g. 30 calls).
    min_sample = models.PositiveIntegerField(default=30)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kpi_key} < {self.threshold_pct}% ({self.scope}, {self.granularity})"


class ReviewItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    rule = models.ForeignKey(ReviewRule, on_delete=models.CASCADE, related_name="items")
    kpi_key = models.CharField(max_length=48)
    scope = models.CharField(max_length=4, choices=Scope.choices)
    scope_id = models.BigIntegerField()
    team = models.ForeignKey("accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granularity = models.CharField(max_length=8, choices=Granularity.choices)
    # The rule as it fired: an item opened at "below 70%" keeps saying so after the rule is edited.
    threshold_pct = models.DecimalField(max_digits=5, decimal_places=1)
    min_sample = models.PositiveIntegerField()
    pace_aware = models.BooleanField()
    period_start = models.DateField()
    as_of = models.DateField()
    actual = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    target = models.DecimalField(max_digits=16, decimal_places=4)
    expected = models.DecimalField(max_digits=16, decimal_places=4)
    attainment_pct = models.DecimalField(max_digits=7, decimal_places=1)
    definition_versions = models.JSONField(default=dict)
    hint = models.TextField(blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="review_items"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.TextField(blank=True)
    # Set when a re-check found the KPI back above the rule's threshold; cleared when it fell again.
    # The item stays open: closing, with a result, is a person's act.
    recovered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            # Never two open items for the same rule, subject and period.
            models.UniqueConstraint(
                fields=["rule", "scope", "scope_id", "period_start"],
                condition=Q(status="open"),
                name="one_open_review_item",
            ),
        ]


class ReviewEntry(models.Model):
    """One step of the PDCA trail: cause, next action, re-check date, optional target change."""

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="entries")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    cause = models.TextField(blank=True)
    next_action = models.TextField(blank=True)
    recheck_on = models.DateField(null=True, blank=True)
    new_target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    # The period (of the item's granularity) the new target was written to; null for entries made
    # before the field named it (they wrote to the period that fired).
    target_period_start = models.DateField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


class ReviewCheck(models.Model):
    """An open item evaluated again: on its re-check date, or after a definition change."""

    class Reason(models.TextChoices):
        RECHECK = "recheck", _("Re-check date")
        DEFINITION = "definition", _("Definition changed")

    item = models.ForeignKey(ReviewItem, on_delete=models.CASCADE, related_name="checks")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    checked_on = models.DateField()
    period_start = models.DateField()
    through = models.DateField()
    actual = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    target = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    expected = models.DecimalField(max_digits=16, decimal_places=4, null=True)
    attainment_pct = models.DecimalField(max_digits=7, decimal_places=1, null=True)
    fired = models.BooleanField()
    skipped = models.CharField(max_length=20, blank=True)  # "sample" | "no_target" | "nothing_expected"
    definition_versions = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checked_on", "id"]

    @property
    def recovered(self) -> bool:
        return not self.fired and not self.skipped
