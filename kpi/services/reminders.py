"""Reminders that a KPI definition's review is due, by its agreed review cadence, and notices that a
definition draft waits for a department's approval.

A definition is due when its cadence (weekly, monthly, quarterly) has passed since the later of its
current version's approval and the last reminder. Each reminder is written to the definition's audit
trail, so running the job twice on a day sends nothing the second time. A draft is announced once to
each signing department that has not decided on it (also written to the audit trail); each signer
gets one mail per run, in their language.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import ROLE_DEPARTMENT, User

from .. import catalog, periods
from ..models import DefinitionApproval, DefinitionAuditEntry, DefinitionVersion
from ..selectors import definitions
from ..selectors.notices import languages_of

ACTION = "review_reminder"
APPROVAL_REQUESTED = "approval_requested"


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
        people = list(
            User.objects.filter(is_active=True, role__in=[User.Role.OPS, User.Role.MANAGER]).exclude(email="")
        )
        languages = languages_of(people)
        for person in people:  # one mail each, in the person's language
            with translation.override(languages[person.pk]):
                lines = "\n".join(f"- {_kpi_name(key)} ({cadence})" for key, cadence in due)
                send_mail(
                    _("KPI definitions due for review"),
                    _("These definitions are due for their agreed review:")
                    + "\n"
                    + lines
                    + "\n\n"
                    + settings.SITE_URL
                    + reverse("kpi_sheet"),
                    None,
                    [person.email],
                )
    return {"due": len(due), "keys": [k for k, _c in due]}


def _kpi_name(key: str) -> str:
    spec = catalog.get(key)
    return spec.name_en if (translation.get_language() or "ja").startswith("en") else spec.name_ja


def _signers(department: str) -> list[User]:
    roles = [r for r, d in ROLE_DEPARTMENT.items() if d == department and r != User.Role.REP]
    return list(User.objects.filter(is_active=True, role__in=roles).exclude(email="").order_by("pk"))


def definition_drafts_notify() -> dict:
    """Tell each signing department, once per draft, that a draft waits for its approval."""
    drafts = list(DefinitionVersion.objects.filter(status=DefinitionVersion.Status.DRAFT).select_related("definition"))
    decided = set(DefinitionApproval.objects.filter(version__in=drafts).values_list("version_id", "department"))
    told = {
        (version_id, (changes or {}).get("department"))
        for version_id, changes in DefinitionAuditEntry.objects.filter(
            action=APPROVAL_REQUESTED, version__in=drafts
        ).values_list("version_id", "changes")
    }
    waiting: dict[str, list[DefinitionVersion]] = {}
    with transaction.atomic():
        for version in drafts:
            for department in permissions.SIGNING_DEPARTMENTS:
                if (version.pk, department) in decided or (version.pk, department) in told:
                    continue
                DefinitionAuditEntry.objects.create(
                    definition=version.definition,
                    version=version,
                    action=APPROVAL_REQUESTED,
                    changes={"department": department},
                )
                waiting.setdefault(department, []).append(version)
    mails = 0
    for department, versions in waiting.items():
        signers = _signers(department)
        languages = languages_of(signers)
        for person in signers:
            with translation.override(languages[person.pk]):
                lines = "\n".join(
                    f"- {_kpi_name(v.definition.key)} v{v.number} ({v.effective_from.isoformat()}): {v.reason}"
                    for v in versions
                )
                send_mail(
                    _("KPI definition drafts wait for your department's approval"),
                    _("These drafts wait for your department's approval:")
                    + "\n"
                    + lines
                    + "\n\n"
                    + settings.SITE_URL
                    + reverse("inbox"),
                    None,
                    [person.email],
                )
            mails += 1
    return {"announced": sum(len(v) for v in waiting.values()), "mails": mails}
