"""Job health: what ran, when, how long, and whether it worked."""

from django.db import models


class JobRun(models.Model):
    name = models.CharField(max_length=64)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "-started_at"], name="jobrun_name_started")]


class TaskOutbox(models.Model):
    """A task to send, written in the same transaction as the data it is about (the outbox pattern).

    Sent once the transaction commits; when the broker is down at that moment the row stays pending
    and the periodic sweep sends it again. The task id is chosen here and kept for every send, so a
    resend and a broker redelivery are the same task to the worker (an import resumes under its claim).
    Every task sent this way is idempotent: running it twice gives the same rows as running it once.
    """

    task = models.CharField(max_length=100)
    kwargs = models.JSONField(default=dict)
    task_id = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["created_at"], name="outbox_pending", condition=models.Q(sent_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.task} {self.task_id}"
