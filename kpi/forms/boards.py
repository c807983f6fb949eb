"""The boards' period choice: ?g=day|week|month and ?d=YYYY-MM-DD. A hand-edited URL with a bad value
falls back (granularity: month; day: today) rather than erroring; a day outside the product's window
(kpi/bounds.py) is clamped to its edge."""

from datetime import date

from django import forms

from .. import bounds, catalog, periods
from ..selectors.board_columns import CUSTOM_VIEW, DEFAULT_VIEW, MAX_COLUMNS, VIEWS, Columns

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


class BoardColumnsForm(forms.Form):
    """A board's columns and order: ?v=<view> (a named set of KPIs), or ?k=<kpi>&k=<kpi> for any
    catalogue KPIs (a custom view), ?sort=<kpi> or <kpi>.pace and ?dir=asc|desc. Unknown values fall
    back to the standard view and the name order rather than erroring on a hand-edited URL."""

    v = forms.CharField(required=False)
    k = forms.MultipleChoiceField(choices=[], required=False)
    sort = forms.CharField(required=False)
    dir = forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")], required=False)

    def __init__(self, data):
        super().__init__(data)
        self.fields["k"].choices = [(key, key) for key in catalog.REGISTRY]

    def columns(self) -> Columns:
        self.is_valid()
        data = self.cleaned_data
        picked = tuple(dict.fromkeys(data.get("k") or ()))[:MAX_COLUMNS]
        if picked:
            view, kpis = CUSTOM_VIEW, picked
        else:
            view = data.get("v") if data.get("v") in VIEWS else DEFAULT_VIEW
            kpis = VIEWS[view]
        sort = data.get("sort") or ""
        if sort.split(".")[0] not in kpis or sort.count(".") > 1 or (sort.count(".") and not sort.endswith(".pace")):
            sort = ""
        return Columns(view, kpis, sort, (data.get("dir") or "desc") == "desc")
