"""Precomputed base measures. Dashboards read these, never raw events.

One wide row per (granularity, scope, scope_id, period_start): summing columns is what every period
and every ratio needs, and ratios are always computed from the summed measures at read time.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Base measure columns, in catalogue order. kpi/catalog.py describes each one.
MEASURE_FIELDS = (
    "calls",
    "connects",
    "target_connects",
    "target_attempts",
    "effective_calls",
    "follow_ups",
    "connectors",
    "emails_sent",
    "emails_delivered",
    "emails_opened",
    "meetings",
    "qualified_meetings",
    "permissions",
    "orders",
    "order_amount",
    "work_hours",
)


class Granularity(models.TextChoices):
    DAY = "day", _("Day")
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class Scope(models.TextChoices):
    REP = "rep", _("Rep")
    TEAM = "team", _("Team")
    ORG = "org", _("Organisation")


class Rollup(models.Model):
    # The bucket is the key: every reader and every upsert goes through it, and a surrogate id would
    # be one more index for each of the ~700 k rows a full rebuild writes.
    pk = models.CompositePrimaryKey("granularity", "scope", "scope_id", "period_start")
    granularity = models.CharField(max_length=8, choices=Granularity.choices)
    scope = models.CharField(max_length=4, choices=Scope.choices)
    # rep id, team id, or 0 for the organisation.
    scope_id = models.BigIntegerField()
    period_start = models.DateField()

    calls = models.IntegerField(default=0)
    connects = models.IntegerField(default=0)
    target_connects = models.IntegerField(default=0)
    target_attempts = models.IntegerField(default=0)
    effective_calls = models.IntegerField(default=0)
    follow_ups = models.IntegerField(default=0)
    connectors = models.IntegerField(default=0)
    emails_sent = models.IntegerField(default=0)
    emails_delivered = models.IntegerField(default=0)
    emails_opened = models.IntegerField(default=0)
    meetings = models.IntegerField(default=0)
    qualified_meetings = models.IntegerField(default=0)
    permissions = models.IntegerField(default=0)
    orders = models.IntegerField(default=0)
    order_amount = models.DecimalField(max_digits=16, decimal_places=0, default=Decimal(0))
    work_hours = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(0))
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Team and organisation sums read every rep row of one period: without this the bucket index
        # was walked over all 520 k rep-days to find one day's 1,000 rows (65 ms per statement).
        # Rep rows only, date first: a full rebuild builds it in 0.2 s, against 0.55 s for
        # (granularity, scope, period_start), whose two leading strings were equal in most comparisons.
        indexes = [models.Index(fields=["period_start", "granularity"], condition=Q(scope="rep"), name="rollup_period")]

    def __str__(self) -> str:
        return f"{self.granularity}/{self.scope}:{self.scope_id}@{self.period_start}"


class HourRollup(models.Model):
    """Calls by rep x local day x local hour, for the weekday x hour heatmap and "best hours to call".

    Kept at day grain (not month x weekday) so an incremental refresh touches only the day it changed.
    """

    # The bucket is the key: no surrogate id and no second index to maintain. A full rebuild writes
    # ~4.6 M rows, and each extra index cost about a third of that insert (bench, 1,000 reps x 520 days).
    pk = models.CompositePrimaryKey("rep_id", "date", "hour")
    # No database-level FK: the deferred FK trigger queued per row cost ~25 s at COMMIT of a full
    # rebuild. Derived rows; Django still cascades.
    # Nor an index of its own: the key's first column serves lookups by rep.
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    date = models.DateField()
    weekday = models.PositiveSmallIntegerField()  # 0 = Monday, stored to group without date functions
    hour = models.PositiveSmallIntegerField()
    calls = models.IntegerField(default=0)
    connects = models.IntegerField(default=0)
    effective_calls = models.IntegerField(default=0)
