"""Django forms that parse what people type into pages, one module per page.

The limits come from kpi/bounds.py, the same ones the file import and the ingest API apply; the
helpers below turn them into form fields and checks, so every page refuses an out-of-range value with
the same words instead of letting it reach the database (where it answered 500)."""

from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import bounds


def form_fields(form: forms.Form) -> dict[str, str]:
    """{field: its first message}, in the form's field order: what pages show beside each field and
    what an ApplicationError carries to the API."""
    return {field: str(messages[0]) for field, messages in form.errors.items()}


def bounded_date(value: date | datetime | None):
    """A date or date-time within the product's window, or a ValidationError naming it."""
    if bounds.date_problem(value):
        low, high = bounds.date_window()
        raise forms.ValidationError(
            _("Enter a date from %(low)s to %(high)s.") % {"low": low.isoformat(), "high": high.isoformat()}
        )
    return value


def bounded_whole_number(value: int | None, *, high: int = bounds.INT_MAX, low: int = 0):
    if value is not None and bounds.int_problem(value, low=low, high=high):
        raise forms.ValidationError(
            _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": f"{high:,}"}
        )
    return value


def bounded_decimal(value: Decimal | None, *, max_digits: int, decimal_places: int, low: Decimal = Decimal(0)):
    """A Decimal within its column (DecimalField(max_digits, decimal_places)), finite."""
    if value is None:
        return None
    problem = bounds.decimal_problem(value, max_digits=max_digits, decimal_places=decimal_places, low=low)
    if problem is None and value != value.quantize(Decimal(1).scaleb(-decimal_places)):
        raise forms.ValidationError(_("Enter at most %(places)s decimal places.") % {"places": decimal_places})
    if problem == "not_finite":
        raise forms.ValidationError(_("Enter a number."))
    if problem:
        high = bounds.decimal_limit(max_digits, decimal_places)
        raise forms.ValidationError(
            _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": f"{high.normalize():,f}"}
        )
    return value


def duration_field(**kwargs) -> forms.IntegerField:
    """Seconds of talk time: 0 to 86,400 (a day)."""
    return forms.IntegerField(min_value=0, max_value=bounds.MAX_DURATION_SECONDS, **kwargs)


def yen_field_clean(raw: str | None) -> int | None:
    """Yen as people type them (1,200,000 or 1200000); empty is none; 0 to the largest amount stored."""
    text = (raw or "").replace(",", "").strip()
    if not text:
        return None
    if not text.isdecimal() or not text.isascii():
        raise forms.ValidationError(_("Enter a whole number of yen."))
    if len(text) > bounds.AMOUNT_DIGITS:
        return bounded_whole_number(bounds.MAX_AMOUNT_YEN + 1, high=bounds.MAX_AMOUNT_YEN)
    return bounded_whole_number(int(text), high=bounds.MAX_AMOUNT_YEN)
