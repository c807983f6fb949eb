"""FS meetings: the meetings IS handed over, with their outcomes."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import permissions

from .. import permissions as kpi_permissions
from ..errors import ApplicationError
from ..forms.meetings import MeetingFilterForm, OutcomeForm
from ..selectors.meetings import meetings_for_fs
from ..services import meetings as meeting_services
from .csv_export import csv_response

MEETINGS_PER_PAGE = 50


def _record_outcome(request: HttpRequest) -> HttpResponse:
    form = OutcomeForm(request.POST)
    meeting = kpi_permissions.meeting_for_user(request.user, form.meeting_id(), write=True)
    try:
        if not form.is_valid():
            raise ApplicationError(str(_("A won meeting needs its order amount in yen.")))
        meeting_services.meeting_record_outcome(
            meeting=meeting, status=form.cleaned_data["status"], amount=form.cleaned_data["amount"], by=request.user
        )
        messages.success(request, _("Outcome saved."))
    except ApplicationError:
        messages.error(request, _("A won meeting needs its order amount in yen."))
    return redirect(request.get_full_path())


@login_required
def fs_meetings(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_work_meetings(request.user))
    if request.method == "POST":
        return _record_outcome(request)
    shown = MeetingFilterForm(request.GET)
    status, mine, search = shown.status_shown(), shown.mine_only(), shown.search()
    meetings = meetings_for_fs(status=status, owner=request.user if mine else None, search=search)
    if request.GET.get("format") == "csv":
        return csv_response(
            "meetings.csv",
            ["set_at", "rep", "status", "amount", "scheduled_for", "lead", "company", "note"],
            (
                [
                    m.set_at,  # written in Tokyo time with its offset (csv_export)
                    m.rep.email,
                    m.status,
                    "" if m.amount is None else m.amount,
                    m.scheduled_for or "",
                    m.lead_external_id,
                    m.lead.company if m.lead else "",
                    m.note,
                ]
                for m in meetings.iterator(chunk_size=2000)
            ),
        )
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "kpi/meetings.html",
        {
            "meetings": page.object_list,
            "page": page,
            "outcomes": meeting_services.OUTCOMES,
            "status": status,
            "mine": mine,
            "q": search,
            "keep": urlencode({k: v for k, v in (("mine", "1" if mine else ""), ("q", search)) if v}),
        },
    )
