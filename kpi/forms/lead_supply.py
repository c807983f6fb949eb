"""Lead supply per channel (marketing) and FS capacity (FS) for one month: whole numbers, 0 or more;
a box sent empty clears the month's number, a box not sent is left alone. Each person gets only the
boxes they may fill. A save names its month (YYYY-MM, 2000 to 2100) or is refused."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import bounds
from ..models import Lead
from . import bounded_whole_number

MIN_YEAR, MAX_YEAR = 2000, 2100


def month_or_none(raw: str | None) -> date | None:
    """The month a YYYY-MM (or YYYY-MM-DD) names, None when it names none in 2000 to 2100."""
    raw = (raw or "").strip()
    try:
        day = date.fromisoformat(raw if len(raw) > 7 else f"{raw}-01")
    except ValueError:
        return None
    return day.replace(day=1) if MIN_YEAR <= day.year <= MAX_YEAR else None


class LeadSupplyMonthForm(forms.Form):
    """The month a save writes: required and exact, never replaced by another month."""

    month = forms.CharField(max_length=10, error_messages={"required": _("Choose the month to save.")})

    def clean_month(self) -> date:
        month = month_or_none(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(_("Not a month between 2000-01 and 2100-12 (YYYY-MM)."))
        return month


class WholeNumberOrEmpty(forms.CharField):
    def to_python(self, value) -> int | None:
        raw = (super().to_python(value) or "").strip()
        if raw == "":
            return None
        if not raw.isdecimal() or not raw.isascii():
            raise forms.ValidationError(_("Enter a whole number, 0 or more."))
        # The columns are PostgreSQL integers; a longer string of digits is out of range anyway.
        value = int(raw) if len(raw) <= 12 else bounds.INT_MAX + 1
        return bounded_whole_number(value)


class LeadSupplyForm(forms.Form):
    def __init__(self, data, *, can_supply: bool, can_capacity: bool):
        super().__init__(data)
        self.can_supply, self.can_capacity = can_supply, can_capacity
        for channel in Lead.Channel.values if can_supply else []:
            self.fields[f"leads_{channel}"] = WholeNumberOrEmpty(required=False)
        if can_capacity:
            self.fields["fs_capacity"] = WholeNumberOrEmpty(required=False)

    def leads(self) -> dict[str, int | None] | None:
        """{channel: leads or None} of the boxes sent, or None when this person sets no lead supply."""
        if not self.can_supply:
            return None
        return {c: self.cleaned_data[f"leads_{c}"] for c in Lead.Channel.values if f"leads_{c}" in self.data}

    def sets_capacity(self) -> bool:
        """Whether this person may set FS capacity and sent its box."""
        return self.can_capacity and "fs_capacity" in self.data

    def first_errors(self) -> dict[str, str]:
        return {name: errors[0] for name, errors in self.errors.items()}
