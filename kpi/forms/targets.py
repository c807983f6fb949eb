"""The targets page: which grid it shows (a team's reps and total, or the organisation, for one day,
week, month or quarter), the grid's boxes and the CSV import.

A grid box holds a count as a whole number, or a rate in percent (45 = 45%); a box sent empty clears
that target, and a target whose box was not sent is left as it is."""

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import periods
from ..services.targets import GRID_KPIS, MAX_YEAR, MIN_YEAR, parse_entry

GRANULARITY_LABELS = (
    (periods.DAY, _("Day")),
    (periods.WEEK, _("Week")),
    (periods.MONTH, _("Month")),
    (periods.QUARTER, _("Quarter")),
)


def cell_name(scope: str, scope_id: int, kpi: str) -> str:
    return f"v_{scope}_{scope_id}_{kpi}"


class TargetPeriodForm(forms.Form):
    """?scope=team|org&team=&g=&d= (or the older ?month=YYYY-MM); anything unreadable or outside 2000 to
    2100 falls back to the current month, as a hand-edited URL should not fail."""

    scope = forms.ChoiceField(choices=[("team", "team"), ("org", "org")], required=False)
    team = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    g = forms.ChoiceField(choices=GRANULARITY_LABELS, required=False)
    d = forms.CharField(required=False, max_length=10)
    month = forms.CharField(required=False, max_length=10)

    def __init__(self, data, *, today: date):
        super().__init__(data)
        self.today = today

    def _day(self, raw: str | None) -> date | None:
        if not raw:
            return None
        try:
            day = date.fromisoformat(raw if len(raw) > 7 else f"{raw}-01")
        except ValueError:
            return None
        return day if MIN_YEAR <= day.year <= MAX_YEAR else None

    def period(self) -> tuple[str, str | None, int | None, date]:
        """(scope, team id or None, granularity, first day of the period)."""
        self.is_valid()
        data = self.cleaned_data  # the fields that are valid: one bad field does not reset the others
        granularity = data.get("g") or periods.MONTH
        day = self._day(data.get("d")) or self._day(data.get("month")) or self.today
        if not data.get("g") and not data.get("d") and data.get("month"):
            granularity = periods.MONTH
        return data.get("scope") or "team", data.get("team"), granularity, periods.period_start(granularity, day)

    def team_given(self) -> bool:
        """Whether the request named a team at all (valid or not): a POST must name one it manages."""
        return bool((self.data.get("team") or "").strip())


def neighbours(granularity: str, start: date) -> tuple[date | None, date | None]:
    """The previous and next period's first day, None past the 2000 to 2100 window."""
    prev = periods.period_start(granularity, start - timedelta(days=1))
    nxt = periods.next_period_start(granularity, start)
    return (prev if prev.year >= MIN_YEAR else None), (nxt if nxt.year <= MAX_YEAR else None)


class TargetCell(forms.CharField):
    def __init__(self, kpi: str, **kwargs):
        super().__init__(required=False, **kwargs)
        self.kpi = kpi

    def to_python(self, value) -> Decimal | None:
        raw = (super().to_python(value) or "").strip()
        if raw == "":
            return None
        try:
            return parse_entry(self.kpi, raw)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class TargetGridForm(forms.Form):
    """One box per subject (scope, scope id) and grid KPI that the request sent."""

    def __init__(self, data, *, subjects: list[tuple[str, int]]):
        super().__init__(data)
        self.cells = {
            cell_name(scope, scope_id, kpi): (scope, scope_id, kpi)
            for scope, scope_id in subjects
            for kpi in GRID_KPIS
            if cell_name(scope, scope_id, kpi) in data
        }
        for name, (_scope, _id, kpi) in self.cells.items():
            self.fields[name] = TargetCell(kpi)

    def values(self) -> dict[tuple[str, int, str], Decimal | None]:
        """{(scope, scope id, kpi): value, None to clear} for the boxes sent, and only those."""
        return {key: self.cleaned_data[name] for name, key in self.cells.items()}

    def cell_errors(self) -> dict[str, str]:
        """{"scope_id_kpi": the first error} as the grid template names them."""
        return {name.removeprefix("v_"): errors[0] for name, errors in self.errors.items()}


class TargetImportForm(forms.Form):
    file = forms.FileField(error_messages={"required": _("choose a CSV file")})
