"""Marketing's leads: add a lead, list the latest."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import permissions

from ..errors import ApplicationError
from ..forms.leads import LeadForm
from ..selectors.leads import leads_latest_first
from ..services import leads as lead_services
from .csv_export import csv_response

LEADS_PER_PAGE = 100


@login_required
def leads(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_record_leads(request.user))
    form = LeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            lead_services.lead_create(
                channel=data["channel"],
                company=data["company"],
                contact_name=data["contact_name"],
                external_id=data["external_id"],
                by=request.user,
            )
            messages.success(request, _("Lead recorded."))
            return redirect("leads")
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    search = (request.GET.get("q") or "").strip()[:100]
    leads = leads_latest_first(search=search)
    if request.GET.get("format") == "csv":  # every lead found, not just a page
        return csv_response(
            "leads.csv",
            ["id", "company", "contact", "channel", "created_at"],
            (
                [x.external_id, x.company, x.contact_name, x.channel, x.created_at]  # Tokyo time (csv_export)
                for x in leads.iterator(chunk_size=2000)
            ),
        )
    page = Paginator(leads, LEADS_PER_PAGE).get_page(request.GET.get("page"))
    keep = urlencode({"q": search}) if search else ""
    return render(
        request, "kpi/leads.html", {"form": form, "leads": page.object_list, "page": page, "q": search, "keep": keep}
    )
