"""kpi/views/inbox.py: each person's inbox and the header badge counting it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kpi import conditions
from kpi.models import ImportJob, Notice, NoticeSettings, ReviewEntry
from kpi.services import definitions
from kpi.services.reviews import reviews_recheck
from tests.kpi.helpers import NOV1

pytestmark = pytest.mark.django_db


def _badge(client) -> str | None:
    """The header badge as the page fetches it once loaded."""
    text = client.get(reverse("inbox_badge")).content.decode()
    marker = 'id="inbox-badge">'
    return text[text.index(marker) + len(marker) : text.index("<", text.index(marker))] if marker in text else None


def test_the_inbox_lists_what_waits_and_what_happened_and_the_badge_counts_it(
    client, evaluated_item, manager, rep, fs_user, time_machine, english
):
    """The manager: the item opened on their team (1), its re-check due on the 27th (1), a definition
    draft waiting for IS (1) and their import refused (1): 4."""
    ReviewEntry.objects.create(
        item=evaluated_item, author=manager, cause="c", next_action="n", recheck_on=date(2026, 11, 27)
    )
    params = {**conditions.default_params("effective_calls"), "conditions": {"min_duration_seconds": 90}}
    draft = definitions.definition_version_draft(
        key="effective_calls", params=params, effective_from=NOV1, reason="留守電は会話ではない", actor=fs_user
    )
    job = ImportJob.objects.create(
        kind="calls", original_name="calls.csv", status="refused", created_by=manager, finished_at=timezone.now()
    )
    time_machine.move_to(timezone.now() + timedelta(days=6))  # the 27th: the re-check is due
    client.force_login(manager)
    page = client.get(reverse("inbox"))
    box = page.context["box"]
    assert [n.kind for n, _s in box.notices] == ["item_opened"]
    assert [i.pk for i, _s in box.rechecks] == [evaluated_item.pk]
    assert [j.pk for j in box.imports] == [job.pk]
    assert [v.pk for v in box.drafts] == [draft.pk]
    assert 'hx-get="/inbox/badge/"' in page.content.decode()
    assert _badge(client) == str(box.count) == "4"
    assert "calls.csv" in page.content.decode() and "Re-checks due" in page.content.decode()
    client.post(reverse("inbox"), {"action": "read"})
    assert _badge(client) == "2"  # the draft and the re-check still wait: they leave when done
    reviews_recheck()
    assert _badge(client) == "2"  # the re-check ran; its result arrives
    assert [n.kind for n in Notice.objects.filter(user=manager).order_by("created_at")] == ["item_opened", "rechecked"]
    client.force_login(fs_user)
    assert client.get(reverse("inbox")).context["box"].drafts == [draft]
    definitions.definition_version_decide(version_id=draft.pk, actor=fs_user, approve=True)
    assert client.get(reverse("inbox")).context["box"].drafts == []  # FS has signed: nothing waits for FS
    client.force_login(rep)
    assert _badge(client) is None  # nothing for the rep


def test_the_mail_language_is_saved_and_a_bad_one_refused(client, manager):
    client.force_login(manager)
    client.post(reverse("inbox"), {"action": "language", "language": "en"})
    assert NoticeSettings.objects.get(user=manager).language == "en"
    client.post(reverse("inbox"), {"action": "language", "language": "fr"})
    assert NoticeSettings.objects.get(user=manager).language == "en"
