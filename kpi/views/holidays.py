"""Company holidays for ops: list, add, delete; Japanese public holidays shown alongside.

Holidays feed the business-day calendar (pace and daily targets) and nothing else: rollups count
what happened, whatever day it was.
"""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import permissions

from .. import periods
from ..models import CompanyHoliday
from ..services import calendar
from .csv_export import csv_response


class HolidayForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=gettext_lazy("Holiday name"), max_length=100)


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return periods.local_date(timezone.now()).year
    return year if 2000 <= year <= 2100 else periods.local_date(timezone.now()).year


@login_required
def holidays(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_administer(request.user))
    year = _year(request)
    first, last = date(year, 1, 1), date(year, 12, 31)
    company = list(CompanyHoliday.objects.filter(date__range=(first, last)))
    public = calendar.public_holidays(year)
    if request.GET.get("format") == "csv":
        rows = [(d.isoformat(), "company", h) for d, h in ((c.date, c.name) for c in company)]
        rows += [(d.isoformat(), "public", name) for d, name in public]
        return csv_response(f"holidays-{year}.csv", ["date", "kind", "name"], sorted(rows))
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holiday = calendar.company_holiday_add(day=form.cleaned_data["date"], name=form.cleaned_data["name"])
        except calendar.HolidayError as exc:
            text = (
                _("This date is already a company holiday.") if exc.field == "date" else _("Give the holiday a name.")
            )
            form.add_error(exc.field, text)
        else:
            messages.success(request, _("Added %(name)s on %(date)s.") % {"name": holiday.name, "date": holiday.date})
            return redirect(f"{reverse('holidays')}?year={holiday.date.year}")
    cal = calendar.Calendar(first, last, holidays=[c.date for c in company])
    return render(
        request,
        "kpi/holidays.html",
        {
            "year": year,
            "company": company,
            "public": public,
            "public_dates": {d for d, _name in public},
            "form": form,
            "business_days": cal.count(first, last),
        },
    )


@require_POST
@login_required
def holiday_delete(request: HttpRequest, holiday_id: int) -> HttpResponse:
    permissions.require(permissions.can_administer(request.user))
    holiday = CompanyHoliday.objects.filter(pk=holiday_id).first()
    year = holiday.date.year if holiday else _year(request)
    if holiday is not None:
        calendar.company_holiday_delete(holiday_id=holiday.pk)
        messages.success(request, _("Removed %(name)s on %(date)s.") % {"name": holiday.name, "date": holiday.date})
    return redirect(f"{reverse('holidays')}?year={year}")
