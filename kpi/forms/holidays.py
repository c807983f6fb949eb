"""The holidays page's inputs: the year shown and the company holiday to add."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import bounded_date

MIN_YEAR, MAX_YEAR = 2000, 2100


class HolidayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    name = forms.CharField(label=_("Holiday name"), max_length=100)

    def clean_date(self):
        return bounded_date(self.cleaned_data["date"])


class YearForm(forms.Form):
    """?year=YYYY; anything missing or out of range shows `default` (this year)."""

    year = forms.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)

    def year_or(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data["year"] is not None:
            return self.cleaned_data["year"]
        return default
