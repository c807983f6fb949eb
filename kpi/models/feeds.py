"""Data feeds as ops watch them: calls that two sources both sent, and feeds that went quiet.

A cross-source duplicate is one call that arrived twice under two source names (a phone system's
push and a CSV of the same calls, say): the same rep at the same moment. Both rows are kept until a
person decides; the decision keeps both calls as they were, so it survives the row it removes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CallDuplicate(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To decide")
        KEPT_FIRST = "kept_first", _("Kept the first")
        KEPT_SECOND = "kept_second", _("Kept the second")
        DISTINCT = "distinct", _("Not a duplicate")

    # "first" is the earlier-stored row. The row a decision removes leaves its pointer empty.
    first = models.ForeignKey("CallLog", null=True, on_delete=models.SET_NULL, related_name="+")
    second = models.ForeignKey("CallLog", null=True, on_delete=models.SET_NULL, related_name="+")
    first_source = models.CharField(max_length=64)
    first_external_id = models.CharField(max_length=128)
    second_source = models.CharField(max_length=64)
    second_external_id = models.CharField(max_length=128)
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField()
    # Both calls as they were when a person decided: the record outlives the row it removes.
    first_snapshot = models.JSONField(default=dict)
    second_snapshot = models.JSONField(default=dict)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["first_source", "first_external_id", "second_source", "second_external_id"],
                name="call_duplicate_pair",
            )
        ]
        indexes = [models.Index(fields=["status", "local_date"])]
        ordering = ["-local_date", "-id"]

    @property
    def sides(self) -> tuple:
        return self.first, self.second


class FeedAlert(models.Model):
    """A feed seen quiet or far below its usual volume on a day: one row (and one notice) per state a day."""

    class State(models.TextChoices):
        QUIET = "quiet", _("Quiet")
        LOW = "low", _("Below usual")

    source = models.CharField(max_length=64)
    day = models.DateField()
    state = models.CharField(max_length=8, choices=State.choices)
    received = models.PositiveIntegerField()
    usual = models.PositiveIntegerField()
    raised_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "day", "state"], name="feed_alert_once_a_day")]
        ordering = ["-raised_at"]
