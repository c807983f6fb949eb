"""A person's inbox: mark it read, choose the language of their mail."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from ..errors import ApplicationError
from ..models import Notice, NoticeSettings, ReviewCheck, ReviewItem


@transaction.atomic
def inbox_mark_read(*, user: User) -> NoticeSettings:
    """Everything that happened until now leaves the inbox and the badge (what is still to do stays)."""
    prefs, _created = NoticeSettings.objects.select_for_update().get_or_create(user=user)
    prefs.read_through = timezone.now()
    prefs.save(update_fields=["read_through"])
    return prefs


@transaction.atomic
def notice_language_set(*, user: User, language: str) -> NoticeSettings:
    """The language the user's mail is written in ("" for the site's)."""
    if language not in ("", *dict(settings.LANGUAGES)):
        raise ApplicationError(_("Choose a language from the list."), fields={"language": _("Unknown language.")})
    prefs, _created = NoticeSettings.objects.select_for_update().get_or_create(user=user)
    prefs.language = language
    prefs.save(update_fields=["language"])
    return prefs


def notices_items_opened(*, opened: dict[User, list[ReviewItem]]) -> None:
    """One inbox notice per person and item opened (in the evaluation's transaction)."""
    Notice.objects.bulk_create(
        [Notice(user=p, kind=Notice.Kind.ITEM_OPENED, item=i) for p, items in opened.items() for i in items]
    )


def notices_items_rechecked(*, checks: dict[User, list[ReviewCheck]]) -> None:
    """One inbox notice per person and re-check (in the re-check's transaction)."""
    Notice.objects.bulk_create(
        [
            Notice(user=p, kind=Notice.Kind.RECHECKED, item=c.item, review_check=c)
            for p, person_checks in checks.items()
            for c in person_checks
        ]
    )
