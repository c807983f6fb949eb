"""Who is told what by mail (the inbox notices are written with the items, kpi/services/notices.py):
one digest mail per person per run, in that person's language, with the numbers; each team's chat
webhooks get one message per run too."""

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User

from .. import periods
from ..models import ReviewCheck, ReviewItem
from ..selectors.notices import languages_of, managers_with_teams
from ..selectors.reviews import subject_labels
from ..selectors.weekly_review import TeamWeek, team_week
from .webhooks import team_webhooks_post, webhook_deliveries_create


def _url(item: ReviewItem) -> str:
    return settings.SITE_URL + reverse("review_item", args=[item.pk])


def _mail(*, person: User, language: str, subject: str, template: str, context: dict) -> None:
    if not person.email:
        return
    with translation.override(language):
        body = render_to_string(template, context)
    send_mail(subject, body, None, [person.email])


def review_items_opened_notify(*, opened: dict[User, list[ReviewItem]]) -> None:
    """One mail per person listing every item opened in the run; one chat message per team."""
    items = list({i.pk: i for its in opened.values() for i in its}.values())
    labels = subject_labels(items)
    languages = languages_of(list(opened))
    for person, person_items in opened.items():
        rows = [(i, labels[i.pk], _url(i)) for i in person_items]
        with translation.override(languages[person.pk]):
            subject = ngettext(
                "Review needed: %(count)d review item opened",
                "Review needed: %(count)d review items opened",
                len(rows),
            ) % {"count": len(rows)}
        _mail(
            person=person,
            language=languages[person.pk],
            subject=subject,
            template="kpi/mail/review_items_opened.txt",
            context={"rows": rows},
        )
    team_webhooks_post(event="items_opened", items=items, labels=labels)


def review_checks_notify(*, checks: dict[User, list[ReviewCheck]]) -> None:
    """One mail per person with every re-checked item's numbers."""
    labels = subject_labels(list({c.item.pk: c.item for cs in checks.values() for c in cs}.values()))
    languages = languages_of(list(checks))
    for person, person_checks in checks.items():
        rows = [(c, labels[c.item.pk], _url(c.item)) for c in person_checks]
        recovered = sum(1 for c in person_checks if c.recovered)
        with translation.override(languages[person.pk]):
            subject = ngettext(
                "Re-check: %(count)d review item evaluated again (%(recovered)d recovered)",
                "Re-check: %(count)d review items evaluated again (%(recovered)d recovered)",
                len(rows),
            ) % {"count": len(rows), "recovered": recovered}
        _mail(
            person=person,
            language=languages[person.pk],
            subject=subject,
            template="kpi/mail/review_checks.txt",
            context={"rows": rows},
        )


def weekly_digests_send(*, today: date | None = None) -> dict:
    """Monday morning: every manager gets one mail with their teams' past week (KPI totals against
    target, items opened, open, recovered, re-checks due), in their language; each team's chat
    webhooks get the same week once."""
    today = today or periods.today()
    week_start = periods.week_start(today) - timedelta(days=7)
    weeks: dict[int, TeamWeek] = {}
    managers = managers_with_teams()
    languages = languages_of([m for m, _teams in managers])
    mails = 0
    for manager, teams in managers:
        for team in teams:
            if team.pk not in weeks:
                weeks[team.pk] = team_week(team=team, week_start=week_start)
        with translation.override(languages[manager.pk]):
            subject = _weekly_subject(week_start)
        _mail(
            person=manager,
            language=languages[manager.pk],
            subject=subject,
            template="kpi/mail/weekly_digest.txt",
            context={"weeks": [weeks[t.pk] for t in teams], "site": settings.SITE_URL},
        )
        mails += 1 if manager.email else 0
    for week in weeks.values():
        with translation.override(settings.LANGUAGE_CODE):
            lines = render_to_string("kpi/mail/weekly_digest.txt", {"weeks": [week], "site": settings.SITE_URL})
            title = _weekly_subject(week_start)
        webhook_deliveries_create(team_id=week.team.pk, title=title, lines=lines.strip().splitlines())
    return {"week": week_start.isoformat(), "managers": len(managers), "teams": len(weeks), "mails": mails}


def _weekly_subject(week_start: date) -> str:
    return _("Weekly digest: the week of %(week)s") % {"week": week_start.isoformat()}
