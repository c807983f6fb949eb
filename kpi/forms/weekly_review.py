"""The weekly review's week: ?week=YYYY-MM-DD (any day of it). With none, the current week, except on
Monday, when the week that just ended is the one to review (the new one has no complete day yet). A
bad or future date falls back to that default rather than erroring."""

from datetime import date, timedelta

from django import forms

from .. import periods


class WeekForm(forms.Form):
    week = forms.CharField(required=False)

    def __init__(self, data, *, today: date):
        super().__init__(data)
        self.today = today

    def clean_week(self) -> date | None:
        raw = self.cleaned_data["week"]
        try:
            return date.fromisoformat(raw) if raw else None
        except ValueError:
            raise forms.ValidationError("not a date") from None

    def default_week(self) -> date:
        current = periods.week_start(self.today)
        return current - timedelta(days=7) if self.today == current else current

    def week_start(self) -> date:
        """The Monday of the week to show."""
        self.is_valid()
        day = self.cleaned_data.get("week")
        if day is None or day > self.today:
            return self.default_week()
        return periods.week_start(day)
