"""Import jobs, import profiles (how one source's export reads as the import contract) and rep aliases."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        CALLS = "calls", _("Call log")
        REPS = "reps", _("Reps")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    source = models.CharField(max_length=64, default="upload")
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    profile = models.ForeignKey("kpi.ImportProfile", null=True, blank=True, on_delete=models.SET_NULL)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    # Every bad row: [{"row": 12, "column": "duration_seconds", "reason": "..."}]
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    # The Celery task (its id stays the same across retries and redeliveries) that claimed the job,
    # and when: a retry or a redelivered message reclaims its own running job; a stale one is reaped.
    claimed_by = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class ImportProfile(models.Model):
    """How one source's export reads as the import contract: headers, value words, units, time zone,
    how the rep is found and how an id is built when the export has none. Built-in profiles (miitel,
    zoom-phone, salesforce-task, hubspot-calls) are rows like any other, created from their preset the
    first time they are listed or used; `builtin` names the preset, so ops can edit one and reset it."""

    class RepLookup(models.TextChoices):
        EMAIL = "email", _("Email")
        NAME = "name", _("Display name")
        ALIAS = "alias", _("Alias (user id, extension)")

    class DurationUnit(models.TextChoices):
        SECONDS = "seconds", _("Seconds")
        MILLISECONDS = "milliseconds", _("Milliseconds")

    class Zone(models.TextChoices):
        NONE = "", _("Values carry their offset")
        TOKYO = "Asia/Tokyo", _("Asia/Tokyo (JST)")
        UTC = "UTC", _("UTC")

    name = models.SlugField(max_length=100, unique=True)
    builtin = models.CharField(max_length=32, blank=True)
    source = models.SlugField(max_length=64, blank=True)
    # {"contract column or rep_fallback": "header in the file"}
    columns = models.JSONField(default=dict, blank=True)
    # Headers whose values, hashed, make the id of a row when the export has no id column.
    id_from = models.JSONField(default=list, blank=True)
    rep_lookup = models.CharField(max_length=8, choices=RepLookup.choices, default=RepLookup.EMAIL)
    duration_unit = models.CharField(max_length=16, choices=DurationUnit.choices, default=DurationUnit.SECONDS)
    timezone = models.CharField(max_length=32, choices=Zone.choices, default=Zone.TOKYO, blank=True)
    # {"value as the source writes it": "contract value"}
    direction_values = models.JSONField(default=dict, blank=True)
    result_values = models.JSONField(default=dict, blank=True)
    # Values of the direction or result column that mark rows which are not sales calls (MiiTel's 内線):
    # not imported, counted on the preview and the result.
    skip_values = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RepAlias(models.Model):
    """A name a phone system or SFA gives a rep (its own user id, extension or number): how rows
    that carry no email find their rep. Stored normalised (see profiles.alias_key)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=128, unique=True)

    class Meta:
        ordering = ["alias"]

    def __str__(self) -> str:
        return self.alias
