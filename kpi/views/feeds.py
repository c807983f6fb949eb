"""Data feeds (ops and managers): is every phone system and SFA still sending what it usually sends
today, and which calls arrived twice under two source names (ops keep one)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions

from ..errors import ApplicationError
from ..selectors.feeds import call_duplicates_decided, call_duplicates_open, feed_health
from ..services.feeds import call_duplicate_resolve


@login_required
def feeds(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_import(request.user))
    ops = permissions.can_administer(request.user)
    return render(
        request,
        "kpi/feeds.html",
        {
            "rows": feed_health(),
            "duplicates": call_duplicates_open() if ops else [],
            "decided": call_duplicates_decided() if ops else [],
            "can_resolve": ops,
        },
    )


@login_required
@require_POST
def call_duplicate_decide(request: HttpRequest, pair_id: int) -> HttpResponse:
    permissions.require(permissions.can_administer(request.user))
    try:
        call_duplicate_resolve(pair_id=pair_id, keep=request.POST.get("keep", ""), by=request.user)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Decided. The board is recounted for that rep and day."))
    return redirect("feeds")
