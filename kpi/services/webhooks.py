"""Outgoing chat webhooks per team (Slack and Microsoft Teams incoming webhooks).

A message becomes one WebhookDelivery per active webhook of the team, sent by a task after the
transaction commits. Every attempt is logged on the delivery (time, HTTP status or error). A 5xx, a
429 or a network error is retried with backoff (kpi.tasks.deliver_webhook); any other 4xx is the
address's fault and fails at once; after the last attempt the delivery is marked failed.
"""

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import catalog
from ..errors import ApplicationError
from ..models import ReviewItem, TeamWebhook, WebhookDelivery
from . import enqueue

TIMEOUT_SECONDS = 10
MAX_ATTEMPTS = 5
RETRY = "retry"


def team_webhook_add(*, team_id: int, kind: str, url: str) -> TeamWebhook:
    """A team's incoming-webhook address; refused (nothing saved) when the kind or the URL is bad."""
    errors = {}
    if kind not in TeamWebhook.Kind.values:
        errors["kind"] = _("Choose Slack or Microsoft Teams.")
    try:
        URLValidator(schemes=["https", "http"])(url.strip())
    except ValidationError:
        errors["url"] = _("Enter the webhook's full address (https://...).")
    if errors:
        raise ApplicationError("; ".join(errors.values()), fields=errors)
    return TeamWebhook.objects.create(team_id=team_id, kind=kind, url=url.strip())


def team_webhook_set_active(*, team_id: int, webhook_id: int, active: bool) -> int:
    """Switch one of the team's webhooks on or off (another team's: nothing changes)."""
    return TeamWebhook.objects.filter(team_id=team_id, pk=webhook_id).update(is_active=active)


def webhook_backoff(attempt: int) -> int:
    """Seconds before attempt `attempt + 1`: 30, 60, 120, 240 (capped at 10 minutes)."""
    return min(30 * 2**attempt, 600)


def payload_for(kind: str, *, title: str, lines: list[str]) -> dict:
    """Slack's {"text"} or a Microsoft Teams MessageCard."""
    text = "\n".join(lines)
    if kind == TeamWebhook.Kind.TEAMS:
        return {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": title,
            "title": title,
            "text": text.replace("\n", "\n\n"),  # Teams joins single newlines
        }
    return {"text": f"*{title}*\n{text}"}


def webhook_deliveries_create(*, team_id: int, title: str, lines: list[str]) -> list[WebhookDelivery]:
    """Queue the message for every active webhook of the team (nothing when it has none)."""
    deliveries = [
        WebhookDelivery.objects.create(webhook=hook, payload=payload_for(hook.kind, title=title, lines=lines))
        for hook in TeamWebhook.objects.filter(team_id=team_id, is_active=True).order_by("pk")
    ]
    for delivery in deliveries:
        enqueue.deliver_webhook(delivery_id=delivery.pk)
    return deliveries


def team_webhooks_post(*, event: str, items: list[ReviewItem], labels: dict[int, str]) -> None:
    """Items opened in one run: one message per team, in the site's language (a channel has no one's)."""
    by_team: dict[int, list[ReviewItem]] = {}
    for item in items:
        if item.team_id is not None:
            by_team.setdefault(item.team_id, []).append(item)
    with translation.override(settings.LANGUAGE_CODE):
        for team_id, team_items in by_team.items():
            lines = [
                f"{labels[i.pk]} · {_kpi_name(i.kpi_key)}: {i.attainment_pct}% "
                f"<{settings.SITE_URL}{reverse('review_item', args=[i.pk])}>"
                for i in team_items
            ]
            webhook_deliveries_create(team_id=team_id, title=_("Review items opened"), lines=lines)


def _kpi_name(key: str) -> str:
    spec = catalog.get(key)
    return spec.name_en if (translation.get_language() or "ja").startswith("en") else spec.name_ja


def webhook_deliver(*, delivery_id: int, last_attempt: bool = False) -> str:
    """One attempt: "sent", "failed", or RETRY (to be tried again later). Logged on the delivery."""
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    if delivery.status != WebhookDelivery.Status.PENDING:
        return delivery.status  # already sent (a redelivered message) or given up
    status, error = _post(delivery.webhook.url, delivery.payload)
    delivery.attempts = [*delivery.attempts, {"at": timezone.now().isoformat(), "status": status, "error": error}]
    outcome = RETRY
    if status is not None and 200 <= status < 300:
        outcome = WebhookDelivery.Status.SENT
        delivery.sent_at = timezone.now()
    elif (status is not None and 400 <= status < 500 and status != 429) or last_attempt:
        outcome = WebhookDelivery.Status.FAILED
    if outcome != RETRY:
        delivery.status = outcome
    delivery.save(update_fields=["attempts", "status", "sent_at"])
    return outcome


def _post(url: str, payload: dict) -> tuple[int | None, str]:
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.reason if isinstance(exc.reason, str) else ""
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:300]
