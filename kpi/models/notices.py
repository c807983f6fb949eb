"""What the product tells people: inbox notices, each user's mail language and read mark, and
outgoing chat webhooks per team with a log of every delivery."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """One event for one person's inbox (what is still to do, such as drafts waiting for approval or
    re-checks due, is read live from its own tables instead)."""

    class Kind(models.TextChoices):
        ITEM_OPENED = "item_opened", _("Review item opened")
        RECHECKED = "rechecked", _("Review item re-checked")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    item = models.ForeignKey("kpi.ReviewItem", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    review_check = models.ForeignKey(
        "kpi.ReviewCheck", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"])]


class NoticeSettings(models.Model):
    """A person's mail language and the moment they last marked their inbox read."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_settings")
    language = models.CharField(max_length=8, blank=True)  # blank: the site's language
    read_through = models.DateTimeField(null=True, blank=True)


class TeamWebhook(models.Model):
    """An incoming-webhook address of a team's chat channel (Slack or Microsoft Teams)."""

    class Kind(models.TextChoices):
        SLACK = "slack", "Slack"
        TEAMS = "teams", "Microsoft Teams"

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="webhooks")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    url = models.URLField(max_length=500)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)


class WebhookDelivery(models.Model):
    """One message to one webhook, with every attempt logged (time, HTTP status or error)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(TeamWebhook, on_delete=models.CASCADE, related_name="deliveries")
    payload = models.JSONField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.JSONField(default=list)  # [{"at": iso, "status": 500, "error": ""}]
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
