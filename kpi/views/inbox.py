"""The inbox: what waits for the user (drafts for their department's approval, re-checks due) and
what happened since they last marked it read (items opened on their teams, re-check results, their
imports finished or refused); and the language of their mail."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..errors import ApplicationError
from ..selectors.notices import inbox_count, inbox_for
from ..services import notices as notice_services


@require_http_methods(["GET", "POST"])
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("action") == "read":
            notice_services.inbox_mark_read(user=request.user)
            messages.success(request, _("Inbox marked as read."))
        else:
            try:
                notice_services.notice_language_set(user=request.user, language=request.POST.get("language", ""))
                messages.success(request, _("Mail language saved."))
            except ApplicationError as exc:
                messages.error(request, exc.message)
        return redirect("inbox")
    box = inbox_for(request.user)
    return render(request, "kpi/inbox.html", {"box": box, "mail_languages": _languages()})


@login_required
def inbox_badge(request: HttpRequest) -> HttpResponse:
    """The header badge, fetched after the page has loaded (templates/base.html)."""
    return render(request, "kpi/partials/inbox_badge.html", {"count": inbox_count(request.user)})


def _languages() -> list[tuple[str, str]]:
    return [("", _("The site's language")), *settings.LANGUAGES]
