"""Reminders that a KPI definition's review is due, by its agreed review cadence.

A definition is due when its cadence (weekly, monthly, quarterly) has passed since the later of its
current version's approval and the last reminder. Each reminder is written to the definition's audit
trail, so running the job twice on a day sends nothing the second time.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User

from .. import periods
from ..models import DefinitionAuditEntry, DefinitionVersion
from ..selectors import definitions

ACTION = "review_reminder"


def due_after(cadence: str, since: date) -> date:
    if cadence == "weekly":
        return since + timedelta(days=7)
    months = 1 if cadence == "monthly" else 3
    index = since.month - 1 + months
    year, month = since.year + index // 12, index % 12 + 1
    last_day = periods.period_end(periods.MONTH, date(year, month, 1)).day
    return date(year, month, min(since.day, last_day))


def definition_reviews_remind(*, today: date | None = None) -> dict:
    today = today or periods.today()
    timeline = definitions.approved_timeline()
    current = {key: spans[-1] for key, spans in timeline.items() if spans}
    approved = {
        (v.definition.key, v.number): v
        for v in DefinitionVersion.objects.filter(status=DefinitionVersion.Status.APPROVED).select_related("definition")
    }
    last_reminders = {}
    for key, at in DefinitionAuditEntry.objects.filter(action=ACTION).values_list("definition__key", "at"):
        day = periods.local_date(at)
        last_reminders[key] = max(day, last_reminders.get(key, day))
    due = []
    with transaction.atomic():
        for key, span in sorted(current.items()):
            cadence = span.params.get("review_cadence", "monthly")
            version = approved.get((key, span.number))
            if version is None:
                continue
            since = periods.local_date(version.approved_at) if version.approved_at else span.start
            since = max(since, last_reminders.get(key, since))
            if due_after(cadence, since) > today:
                continue
            DefinitionAuditEntry.objects.create(
                definition=version.definition,
                version=version,
                action=ACTION,
                changes={"cadence": cadence, "since": since.isoformat()},
            )
            due.append((key, cadence))
    if due:
        recipients = list(
            User.objects.filter(is_active=True, role__in=[User.Role.OPS, User.Role.MANAGER]).values_list(
                "email", flat=True
            )
        )
        with translation.override(settings.LANGUAGE_CODE):
            lines = "\n".join(f"- {key} ({cadence})" for key, cadence in due)
            send_mail(
                _("KPI definitions due for review"),
                _("These definitions are due for their agreed review:")
                + "\n"
                + lines
                + "\n\n"
                + settings.SITE_URL
                + reverse("kpi_sheet"),
                None,
                recipients,
            )
    return {"due": len(due), "keys": [k for k, _c in due]}
