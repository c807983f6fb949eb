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


def test_a_draft_is_announced_once_to_each_department_that_has_not_signed(manager, fs_user, marketer, rep):
    from datetime import date

    from django.core import mail

    from kpi import conditions
    from kpi.models import NoticeSettings
    from kpi.services import definitions
    from kpi.services.reminders import definition_drafts_notify

    NoticeSettings.objects.create(user=marketer, language="en")
    params = {**conditions.default_params("effective_calls"), "conditions": {"min_duration_seconds": 90}}
    draft = definitions.definition_version_draft(
        key="effective_calls", params=params, effective_from=date(2026, 11, 1), reason="留守電", actor=fs_user
    )
    definitions.definition_version_decide(version_id=draft.pk, actor=fs_user, approve=True)
    assert definition_drafts_notify() == {"announced": 2, "mails": 2}  # IS and marketing; FS has signed
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {manager.email, marketer.email}  # not the rep: reps do not sign
    assert by_person[manager.email].subject == "KPI定義の下書きがあなたの部門の承認を待っています"
    assert "有効会話数 v2 (2026-11-01): 留守電" in by_person[manager.email].body
    assert by_person[marketer.email].subject == "KPI definition drafts wait for your department's approval"
    assert "Effective conversations v2 (2026-11-01)" in by_person[marketer.email].body
    assert definition_drafts_notify() == {"announced": 0, "mails": 0}  # told once
    assert len(mail.outbox) == 2
