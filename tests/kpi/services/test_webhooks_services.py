"""kpi/services/webhooks.py against a local HTTP receiver: Slack and Microsoft Teams payloads, a 500
retried with backoff and every attempt logged, a 404 given up at once."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kpi.models import TeamWebhook, WebhookDelivery
from kpi.services.webhooks import webhook_backoff, webhook_deliveries_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    """A local incoming-webhook endpoint answering the statuses in `answers`, in turn (then 200)."""
    answers: list[int] = []
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            self.send_response(answers.pop(0) if answers else 200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", answers, received
    finally:
        server.shutdown()
        server.server_close()


def test_a_delivery_retries_after_a_500_and_every_attempt_is_logged(
    team_a, receiver, django_capture_on_commit_callbacks
):
    url, answers, received = receiver
    TeamWebhook.objects.create(team=team_a, kind="slack", url=url)
    answers.append(500)
    with django_capture_on_commit_callbacks(execute=True):
        (delivery,) = webhook_deliveries_create(team_id=team_a.pk, title="レビュー", lines=["佐藤 花子 · 架電数: 7.1%"])
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.sent_at is not None
    assert [a["status"] for a in delivery.attempts] == [500, 200]
    assert received == [{"text": "*レビュー*\n佐藤 花子 · 架電数: 7.1%"}] * 2


def test_teams_gets_a_message_card_and_a_404_is_not_retried(team_a, receiver, django_capture_on_commit_callbacks):
    url, answers, received = receiver
    TeamWebhook.objects.create(team=team_a, kind="teams", url=url)
    answers.append(404)
    with django_capture_on_commit_callbacks(execute=True):
        webhook_deliveries_create(team_id=team_a.pk, title="Weekly", lines=["a", "b"])
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, [a["status"] for a in delivery.attempts]) == ("failed", [404])
    assert received == [
        {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": "Weekly",
            "title": "Weekly",
            "text": "a\n\nb",
        }
    ]


def test_an_unreachable_address_is_tried_five_times_then_failed(team_a, django_capture_on_commit_callbacks):
    TeamWebhook.objects.create(team=team_a, kind="slack", url="http://127.0.0.1:9/nothing-listens")
    with django_capture_on_commit_callbacks(execute=True):
        webhook_deliveries_create(team_id=team_a.pk, title="t", lines=["x"])
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and len(delivery.attempts) == 5
    assert all(a["status"] is None and "Error" in a["error"] for a in delivery.attempts)


def test_the_backoff_doubles_and_is_capped():
    assert [webhook_backoff(n) for n in range(6)] == [30, 60, 120, 240, 480, 600]


def test_no_webhook_no_delivery(team_a):
    assert webhook_deliveries_create(team_id=team_a.pk, title="t", lines=["x"]) == []
