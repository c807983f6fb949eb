"""Lead supply (marketing) and FS capacity per month, with the consistency warnings for all three."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import permissions

from .. import periods
from ..forms.lead_supply import LeadSupplyForm, LeadSupplyMonthForm, month_or_none
from ..models import Lead
from ..selectors import consistency
from ..selectors.lead_supply import fs_capacity, lead_supply_by_channel
from ..services.lead_supply import lead_supply_save
from .csv_export import csv_response
from .params import wants_csv


@login_required
def lead_supply(request: HttpRequest) -> HttpResponse:
    user = request.user
    permissions.require(permissions.can_view_lead_supply(user))
    # A hand-edited ?month= outside 2000 to 2100 shows next month rather than failing.
    month = month_or_none(request.GET.get("month")) or periods.next_period_start(
        periods.MONTH, periods.month_start(periods.today())
    )
    can_supply, can_capacity = permissions.can_plan_lead_supply(user), permissions.can_plan_fs_capacity(user)
    errors: dict = {}
    status = 200
    if request.method == "POST":
        permissions.require(can_supply or can_capacity)
        posted_month = LeadSupplyMonthForm(request.POST)
        form = LeadSupplyForm(request.POST, can_supply=can_supply, can_capacity=can_capacity)
        if posted_month.is_valid() and form.is_valid():
            month = posted_month.cleaned_data["month"]
            lead_supply_save(
                month=month,
                leads=form.leads(),
                fs_capacity=form.cleaned_data.get("fs_capacity"),
                set_capacity=form.sets_capacity(),
                by=user,
            )
            messages.success(request, _("Saved."))
            return redirect(f"{request.path}?month={month:%Y-%m}")
        errors = {**form.first_errors(), **{k: v[0] for k, v in posted_month.errors.items()}}
        # A month that names no month is refused: saving it into another month would overwrite that one.
        status = 400 if "month" in errors else 200
    supply = lead_supply_by_channel(month=month)
    if wants_csv(request):
        return csv_response(
            f"lead_supply_{month:%Y-%m}.csv",
            ["month", "channel", "leads"],
            [[month.isoformat(), c, supply.get(c, "")] for c in Lead.Channel.values],
        )
    summary, warnings = consistency.month_consistency(month=month)
    prev = periods.month_start(month - timedelta(days=1))
    return render(
        request,
        "kpi/lead_supply.html",
        {
            "month": month,
            "prev": prev,
            "next": periods.next_period_start(periods.MONTH, month),
            "channels": [(c, label, supply.get(c)) for c, label in Lead.Channel.choices],
            "capacity": fs_capacity(month=month),
            "can_supply": can_supply,
            "can_capacity": can_capacity,
            "summary": summary,
            "warnings": warnings,
            "errors": errors,
            "form": request.POST if errors else None,
        },
        status=status,
    )
