"""Rep quick-log, the FS meetings list with outcomes, and marketing's leads."""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import permissions

from .. import periods
from ..models import CallLog, Lead, Meeting
from ..services import leads as lead_services
from ..services import meetings as meeting_services
from ..services import quicklog
from .csv_export import csv_response


class QuickLogForm(forms.Form):
    result = forms.ChoiceField(choices=[(r.value, r.label) for r in quicklog.RESULTS])
    duration_seconds = forms.IntegerField(label=_("Duration (s)"), min_value=0, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    reached_target = forms.BooleanField(label=_("Reached the decision maker"), required=False)
    appointment_for = forms.DateTimeField(
        label=_("Appointment (hand to FS)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


@login_required
def quick_log(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_log_calls(request.user))
    form = QuickLogForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            appointment = data["appointment_for"]
            if appointment is not None and appointment.tzinfo is None:
                appointment = appointment.replace(tzinfo=periods.org_tz())
            quicklog.call_quick_log(
                rep=request.user,
                result=data["result"],
                duration_seconds=data["duration_seconds"],
                note=data["note"],
                reached_target=data["reached_target"],
                appointment_for=appointment,
            )
            messages.success(request, _("Call logged."))
        else:
            messages.error(request, _("The call was not logged: check the duration."))
        return redirect("today")
    today = periods.local_date(datetime.now(periods.org_tz()))
    recent = CallLog.objects.filter(rep=request.user, local_date=today).order_by("-started_at")[:5]
    return render(
        request, "kpi/ingestion/_quick_log.html", {"form": form, "results": quicklog.RESULTS, "recent": recent}
    )


MEETINGS_PER_PAGE = 50


@login_required
def fs_meetings(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_work_meetings(request.user))
    if request.method == "POST":
        meeting_id = request.POST.get("meeting", "")
        meeting = get_object_or_404(Meeting, pk=int(meeting_id) if meeting_id.isdecimal() else 0)
        raw_amount = (request.POST.get("amount") or "").replace(",", "").strip()
        try:
            amount = int(raw_amount) if raw_amount else None
            meeting_services.meeting_record_outcome(
                meeting=meeting, status=request.POST.get("status", ""), amount=amount, by=request.user
            )
            messages.success(request, _("Outcome saved."))
        except ValueError:
            messages.error(request, _("A won meeting needs its order amount in yen."))
        return redirect(request.get_full_path())
    status = request.GET.get("status", "open")
    meetings = Meeting.objects.select_related("rep", "fs_owner")
    if status == "open":
        # What FS works through: the meetings still waiting for an outcome, earliest first.
        meetings = meetings.filter(status__in=[Meeting.Status.SCHEDULED, Meeting.Status.HELD])
        meetings = meetings.order_by(F("scheduled_for").asc(nulls_last=True), "set_at")
    else:
        meetings = meetings.order_by("-set_at")
    if request.GET.get("format") == "csv":
        return csv_response(
            "meetings.csv",
            ["set_at", "rep", "status", "amount", "scheduled_for", "lead"],
            (
                [
                    m.set_at.isoformat(),
                    m.rep.email,
                    m.status,
                    "" if m.amount is None else m.amount,
                    m.scheduled_for or "",
                    m.lead_external_id,
                ]
                for m in meetings.iterator(chunk_size=2000)
            ),
        )
    page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "kpi/ingestion/fs_meetings.html",
        {"meetings": page.object_list, "page": page, "outcomes": meeting_services.OUTCOMES, "status": status},
    )


class LeadForm(forms.Form):
    company = forms.CharField(label=_("Company"), max_length=200)
    contact_name = forms.CharField(label=_("Contact"), max_length=200, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Lead.Channel.choices)
    external_id = forms.CharField(label=_("Lead ID"), max_length=128, required=False)


@login_required
def leads(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_record_leads(request.user))
    form = LeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lead_services.lead_create(**form.cleaned_data, by=request.user)
            messages.success(request, _("Lead recorded."))
            return redirect("leads")
        except ValueError as exc:
            form.add_error(None, str(exc))
    leads = Lead.objects.order_by("-created_at")
    if request.GET.get("format") == "csv":  # every lead, not just the page's 200
        return csv_response(
            "leads.csv",
            ["id", "company", "contact", "channel", "created_at"],
            (
                [x.external_id, x.company, x.contact_name, x.channel, x.created_at.isoformat()]
                for x in leads.iterator(chunk_size=2000)
            ),
        )
    rows = leads[:200]
    return render(request, "kpi/ingestion/leads.html", {"form": form, "leads": rows})
