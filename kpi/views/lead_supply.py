"""Lead supply (marketing) and FS capacity per month, with the consistency warnings for all three."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import User

from .. import periods
from ..models import FsCapacity, Lead, LeadSupply
from ..selectors import consistency
from .csv_export import csv_response
from .params import parse_month, today, wants_csv

VIEWERS = (User.Role.MARKETING, User.Role.FS, User.Role.MANAGER)


def _can_view(user) -> bool:
    return user.is_ops or user.role in VIEWERS


@login_required
def lead_supply(request: HttpRequest) -> HttpResponse:
    user = request.user
    permissions.require(_can_view(user))
    month = parse_month(
        request.GET.get("month") or request.POST.get("month"),
        periods.next_period_start(periods.MONTH, periods.month_start(today())),
    )
    can_supply = user.is_ops or user.role == User.Role.MARKETING
    can_capacity = user.is_ops or user.role == User.Role.FS
    errors: dict = {}
    if request.method == "POST":
        permissions.require(can_supply or can_capacity)
        values = {}
        fields = ([f"leads_{c}" for c in Lead.Channel.values] if can_supply else []) + (
            ["fs_capacity"] if can_capacity else []
        )
        for field in fields:
            raw = (request.POST.get(field) or "").strip()
            if raw == "":
                values[field] = None
            elif raw.isdecimal():
                values[field] = int(raw)
            else:
                errors[field] = _("Enter a whole number, 0 or more.")
        if not errors:
            with transaction.atomic():
                for channel in Lead.Channel.values if can_supply else []:
                    value = values[f"leads_{channel}"]
                    if value is None:
                        LeadSupply.objects.filter(month=month, channel=channel).delete()
                    else:
                        LeadSupply.objects.update_or_create(
                            month=month, channel=channel, defaults={"leads": value, "updated_by": user}
                        )
                if can_capacity:
                    if values["fs_capacity"] is None:
                        FsCapacity.objects.filter(month=month).delete()
                    else:
                        FsCapacity.objects.update_or_create(
                            month=month, defaults={"meetings": values["fs_capacity"], "updated_by": user}
                        )
            messages.success(request, _("Saved."))
            return redirect(f"{request.path}?month={month:%Y-%m}")
    supply = {s.channel: s.leads for s in LeadSupply.objects.filter(month=month)}
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
            "capacity": FsCapacity.objects.filter(month=month).first(),
            "can_supply": can_supply,
            "can_capacity": can_capacity,
            "summary": summary,
            "warnings": warnings,
            "errors": errors,
            "form": request.POST if errors else None,
        },
    )
