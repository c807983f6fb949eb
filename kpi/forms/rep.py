"""What the rep page reads from its query string: the KPI of the trend (?kpi=, any catalogue KPI) and
its step (?g=day|week); the call list's filters (?day=, ?result=, ?lead=) and page (?page=). A bad
value falls back to the default rather than erroring on a hand-edited URL."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import catalog, periods
from ..models import CallLog

TREND_STEPS = (periods.DAY, periods.WEEK)


class RepTrendForm(forms.Form):
    kpi = forms.ChoiceField(choices=[], required=False)
    g = forms.ChoiceField(choices=[(g, g) for g in TREND_STEPS], required=False)

    def __init__(self, data):
        super().__init__(data)
        self.fields["kpi"].choices = [(k, k) for k in catalog.REGISTRY]

    def choice(self) -> tuple[str, str]:
        self.is_valid()
        return self.cleaned_data.get("kpi") or "calls", self.cleaned_data.get("g") or periods.WEEK


class CallListForm(forms.Form):
    day = forms.DateField(required=False, label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.ChoiceField(required=False, label=_("Result"))
    lead = forms.CharField(required=False, max_length=128, label=_("Lead"))
    page = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data):
        super().__init__(data)
        self.fields["result"].choices = [("", _("Any result")), *CallLog.Result.choices]

    def filters(self) -> dict:
        """{day, result, lead}: each invalid one dropped on its own (the others still apply)."""
        self.is_valid()
        data = self.cleaned_data
        day: date | None = data.get("day")
        return {"day": day, "result": data.get("result") or "", "lead": (data.get("lead") or "").strip()}

    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1 if hasattr(self, "cleaned_data") else 1
