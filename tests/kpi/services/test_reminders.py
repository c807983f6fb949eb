"""kpi/services/reminders.py: the definition review reminder is sent once per cadence."""

import pytest

pytestmark = pytest.mark.django_db


def test_definition_review_reminder_is_sent_once_per_cadence(ops, time_machine):
    from django.core import mail

    from kpi.services.reminders import definition_reviews_remind
    from tests.factories import tokyo

    time_machine.move_to(tokyo(2027, 6, 1, 8, 0))
    first = definition_reviews_remind()
    assert first["due"] > 0 and len(mail.outbox) == 1 and mail.outbox[0].to == [ops.email]
    assert "http://127.0.0.1:8000/kpi-sheet/" in mail.outbox[0].body  # settings.SITE_URL's default
    assert definition_reviews_remind()["due"] == 0  # the same day again: nothing new
    time_machine.move_to(tokyo(2027, 7, 1, 8, 0))
    assert definition_reviews_remind()["due"] == first["due"]  # monthly cadence: due again a month on
