"""The boards' period choice: ?g=day|week|month and ?d=YYYY-MM-DD. A hand-edited URL with a bad value
falls back (granularity: month; day: today) rather than erroring; a day outside the product's window
(kpi/bounds.py) is clamped to its edge."""

from datetime import date

from django import forms

from .. import bounds, periods

GRANULARITIES = (periods.DAY, periods.WEEK, periods.MONTH)


class PeriodForm(forms.Form):
    g = forms.ChoiceField(choices=[(g, g) for g in GRANULARITIES], required=False)
    d = forms.CharField(required=False)

    def __init__(self, data, *, today: date):
        super().__init__(data)
        self.today = today

    def clean_d(self) -> date | None:
        raw = self.cleaned_data["d"]
        try:
            day = date.fromisoformat(raw) if raw else None
        except ValueError:
            raise forms.ValidationError("not a date") from None
        return bounds.clamp_date(day, self.today) if day else None

    def period(self) -> tuple[str, date]:
        """(granularity, first day of the period to show), each falling back on its own when bad."""
        self.is_valid()
        data = self.cleaned_data
        granularity = data.get("g") or periods.MONTH
        day = data.get("d") or self.today
        return granularity, periods.period_start(granularity, day)
