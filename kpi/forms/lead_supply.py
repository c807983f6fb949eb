"""Lead supply per channel (marketing) and FS capacity (FS) for one month: whole numbers, 0 or more;
an empty box clears the month's number. Each person gets only the boxes they may fill."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import bounds
from ..models import Lead
from . import bounded_whole_number


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
        """{channel: leads or None}, or None when this person sets no lead supply."""
        if not self.can_supply:
            return None
        return {c: self.cleaned_data[f"leads_{c}"] for c in Lead.Channel.values}

    def first_errors(self) -> dict[str, str]:
        return {name: errors[0] for name, errors in self.errors.items()}
