"""Company holidays, kept by ops: the one place they are written (read in kpi/selectors/calendar.py).
They change business days (pace, daily targets), never the rollups."""

from datetime import date

from django.utils.translation import gettext as _

from ..errors import ApplicationError
from ..models import CompanyHoliday


def company_holiday_add(*, day: date, name: str) -> CompanyHoliday:
    """Add a closing day; refuses a blank name and a date that already is one."""
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the holiday a name."), fields={"name": _("Give the holiday a name.")})
    holiday, created = CompanyHoliday.objects.get_or_create(date=day, defaults={"name": name})
    if not created:
        text = _("This date is already a company holiday.")
        raise ApplicationError(text, fields={"date": text})
    return holiday


def company_holiday_delete(*, holiday_id: int) -> None:
    CompanyHoliday.objects.filter(pk=holiday_id).delete()
