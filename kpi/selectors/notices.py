"""What the product tells a person: their mail language and their inbox (what is still to do, read
live: drafts waiting for their department's approval, re-checks due; and what happened since they
last marked it read: items opened on their teams, re-check results, their imports finished or refused)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts import permissions
from accounts.models import User

from .. import periods
from .. import permissions as kpi_permissions
from ..models import (
    DefinitionApproval,
    DefinitionVersion,
    ImportJob,
    JobRun,
    Notice,
    NoticeSettings,
    TeamWebhook,
    WebhookDelivery,
)
from .reviews import items_visible_to, rechecks_due_among, rechecks_due_for, subject_labels

IMPORTS_DAYS = 14  # a finished import stays in the inbox this long (until marked read)


def languages_of(users) -> dict[int, str]:
    """{user pk: the language their mail is written in}: their chosen one, else the site's."""
    chosen = dict(
        NoticeSettings.objects.filter(user__in=[u.pk for u in users])
        .exclude(language="")
        .values_list("user_id", "language")
    )
    return {u.pk: chosen.get(u.pk, settings.LANGUAGE_CODE) for u in users}


def settings_of(user: User) -> NoticeSettings:
    """The user's notice settings, unsaved defaults when they never changed them."""
    return NoticeSettings.objects.filter(user=user).first() or NoticeSettings(user=user)


def drafts_awaiting(user: User) -> QuerySet[DefinitionVersion]:
    """Definition drafts waiting for the approval of the user's department (if it signs definitions)."""
    if not permissions.can_sign_definitions(user):
        return DefinitionVersion.objects.none()
    decided = DefinitionApproval.objects.filter(version=OuterRef("pk"), department=user.department_code)
    return (
        DefinitionVersion.objects.filter(status=DefinitionVersion.Status.DRAFT)
        .exclude(Exists(decided))
        .select_related("definition")
        .order_by("created_at", "pk")
    )


def _since(read_through: datetime | None) -> datetime:
    floor = timezone.now() - timedelta(days=IMPORTS_DAYS)
    return max(read_through, floor) if read_through else floor


def imports_finished(user: User, *, read_through: datetime | None) -> QuerySet[ImportJob]:
    """The user's imports that finished (done or refused) since they last marked the inbox read."""
    return ImportJob.objects.filter(
        created_by=user,
        status__in=[ImportJob.Status.DONE, ImportJob.Status.REFUSED, ImportJob.Status.FAILED],
        finished_at__gt=_since(read_through),
    ).order_by("-finished_at")


def notices_unread(user: User, *, read_through: datetime | None) -> QuerySet[Notice]:
    notices = Notice.objects.filter(user=user).select_related("item", "item__team", "review_check")
    if read_through:
        notices = notices.filter(created_at__gt=read_through)
    return notices


@dataclass
class Inbox:
    drafts: list
    rechecks: list  # [(item, subject)]
    notices: list  # [(notice, subject)]
    imports: list
    read_through: datetime | None
    language: str

    @property
    def count(self) -> int:
        return len(self.drafts) + len(self.rechecks) + len(self.notices) + len(self.imports)


def inbox_for(user: User, *, today: date | None = None) -> Inbox:
    prefs = settings_of(user)
    rechecks = rechecks_due_for(user, on=today or periods.today())
    notices = list(notices_unread(user, read_through=prefs.read_through)[:200])
    labels = subject_labels(rechecks + [n.item for n in notices if n.item is not None])
    return Inbox(
        drafts=list(drafts_awaiting(user)),
        rechecks=[(i, labels[i.pk]) for i in rechecks],
        notices=[(n, labels.get(n.item_id, "")) for n in notices],
        imports=list(imports_finished(user, read_through=prefs.read_through)),
        read_through=prefs.read_through,
        language=prefs.language,
    )


def inbox_count(user: User) -> int:
    """The header badge: what the inbox lists, counted in SQL (a handful of small queries)."""
    prefs = settings_of(user)
    rechecks = 0
    if kpi_permissions.can_act_on_review_items(user):
        rechecks = rechecks_due_among(items_visible_to(user), on=periods.today()).count()
    return (
        drafts_awaiting(user).count()
        + rechecks
        + notices_unread(user, read_through=prefs.read_through).count()
        + imports_finished(user, read_through=prefs.read_through).count()
    )


def managers_with_teams() -> list[tuple[User, list]]:
    """Every active manager with the teams they manage (two queries)."""
    managers = User.objects.filter(role=User.Role.MANAGER, is_active=True).prefetch_related("managed_teams")
    return [(m, list(m.managed_teams.all())) for m in managers.order_by("pk") if m.managed_teams.all()]


@dataclass(frozen=True)
class WebhookRow:
    webhook: TeamWebhook
    shown_url: str  # the address without its secret path
    last: WebhookDelivery | None


def team_webhooks_of(team_id: int) -> list[WebhookRow]:
    """A team's chat webhooks with their latest delivery (two queries)."""
    hooks = list(TeamWebhook.objects.filter(team_id=team_id).order_by("pk"))
    last: dict[int, WebhookDelivery] = {}
    for delivery in WebhookDelivery.objects.filter(webhook__in=hooks).order_by("webhook_id", "-created_at", "-pk"):
        last.setdefault(delivery.webhook_id, delivery)
    return [WebhookRow(h, _shown(h.url), last.get(h.pk)) for h in hooks]


def _shown(url: str) -> str:
    scheme, _sep, rest = url.partition("://")
    host = rest.split("/", 1)[0]
    return f"{scheme}://{host}/…"


BACKFILL_JOB = "backfill_rollups"  # kpi.tasks.backfill_rollups' job_run name
BACKFILL_DAYS = 14  # how long a finished backfill stays on the sheet of those who approved


@dataclass(frozen=True)
class Backfill:
    version: DefinitionVersion
    state: str  # "queued" | "running" | "done" | "failed"
    run: JobRun | None


def backfills_approved_by(user: User) -> list[Backfill]:
    """The recomputation after each version the user approved that went live recently: queued until
    the first backfill run that started after the activation, then that run's state (two queries)."""
    since = timezone.now() - timedelta(days=BACKFILL_DAYS)
    versions = list(
        DefinitionVersion.objects.filter(
            status=DefinitionVersion.Status.APPROVED, approved_at__gte=since, approvals__user=user
        )
        .select_related("definition")
        .distinct()
        .order_by("-approved_at")
    )
    if not versions:
        return []
    runs = list(
        JobRun.objects.filter(name=BACKFILL_JOB, started_at__gte=min(v.approved_at for v in versions)).order_by(
            "started_at", "pk"
        )
    )
    rows = []
    for version in versions:
        run = next((r for r in runs if r.started_at >= version.approved_at), None)
        if run is None:
            state = "queued"
        elif run.finished_at is None:
            state = "running"
        else:
            state = "done" if run.ok else "failed"
        rows.append(Backfill(version, state, run))
    return rows
