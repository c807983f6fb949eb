"""Who is told what, by mail: the managers (or ops) responsible for a review item that just opened."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User

from .. import catalog
from ..models import ReviewItem
from ..selectors.reviews import subject_label


def review_item_opened_notify(*, item: ReviewItem, people: list[User]) -> None:
    """Every manager of the subject's team (ops for organisation-scope items), in the site's language."""
    recipients = [p.email for p in people if p.email]
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Review needed: %(kpi)s at %(pct)s%% of target") % {
            "kpi": catalog.get(item.kpi_key).name_ja,
            "pct": item.attainment_pct,
        }
        body = _("A review rule fired for %(subject)s (%(period)s). Open the item: %(url)s") % {
            "subject": subject_label(item),
            "period": item.period_start.isoformat(),
            "url": settings.SITE_URL + reverse("review_item", args=[item.pk]),
        }
    send_mail(subject, body, None, recipients)
