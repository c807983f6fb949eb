"""Marketing's leads: add a lead, list the latest."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import permissions

from ..models import Lead
from ..services import leads as lead_services
from .csv_export import csv_response


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
    return render(request, "kpi/leads.html", {"form": form, "leads": rows})
