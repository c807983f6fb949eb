"""Company holidays for ops: list, add, delete; Japanese public holidays shown alongside.

Holidays feed the business-day calendar (pace and daily targets) and nothing else: rollups count
what happened, whatever day it was. Read in kpi/selectors/calendar.py, written in
kpi/services/holidays.py.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions

from .. import periods
from ..errors import ApplicationError
from ..forms.holidays import HolidayForm, YearForm
from ..selectors import calendar
from ..services import holidays as holiday_services
from .csv_export import csv_response


def _year(request: HttpRequest) -> int:
    return YearForm(request.GET).year_or(periods.today().year)


@login_required
def holidays(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_administer(request.user))
    year = _year(request)
    first, last = date(year, 1, 1), date(year, 12, 31)
    company = calendar.company_holidays_in(first=first, last=last)
    public = calendar.public_holidays(year)
    if request.GET.get("format") == "csv":
        rows = [(d.isoformat(), "company", h) for d, h in ((c.date, c.name) for c in company)]
        rows += [(d.isoformat(), "public", name) for d, name in public]
        return csv_response(f"holidays-{year}.csv", ["date", "kind", "name"], sorted(rows))
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            holiday = holiday_services.company_holiday_add(
                day=form.cleaned_data["date"], name=form.cleaned_data["name"]
            )
        except ApplicationError as exc:
            for field, text in exc.fields.items():
                form.add_error(field, text)
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
    holiday = calendar.company_holiday(holiday_id=holiday_id)
    year = holiday.date.year if holiday else _year(request)
    if holiday is not None:
        holiday_services.company_holiday_delete(holiday_id=holiday.pk)
        messages.success(request, _("Removed %(name)s on %(date)s.") % {"name": holiday.name, "date": holiday.date})
    return redirect(f"{reverse('holidays')}?year={year}")
