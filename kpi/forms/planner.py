"""The planner's input: a goal for a team's month, with the rates and order amount the manager edits."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _

from accounts.models import Team

from .. import bounds, funnel, periods
from ..errors import ApplicationError
from ..models import Plan
from ..selectors.plans import PlanInput
from . import form_fields

# The walk back divides the orders goal by five rates; these bounds keep every stage a number the
# funnel arithmetic and the targets it applies can hold (a rate of 1e-10 or a goal of 10^30 crashed).
MAX_ORDERS = 1_000_000
MIN_RATE = Decimal("0.001")


def _positive(value, *, upper: Decimal | None = None, lower: Decimal | None = None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise forms.ValidationError(_("Enter a number.")) from None
    if not number.is_finite():
        raise forms.ValidationError(_("Enter a number."))
    if lower is not None and number < lower:
        raise forms.ValidationError(
            _("Must be at least %(min)s and at most %(max)s.") % {"min": lower, "max": upper or "-"}
        )
    if number <= 0 or (upper is not None and number > upper):
        raise forms.ValidationError(
            _("Must be above 0 and at most %(max)s.") % {"max": f"{upper:,}"} if upper else _("Must be above 0.")
        )
    return number


def _month(raw: str) -> date:
    try:
        return periods.month_start(date.fromisoformat(raw[:10] or "x"))
    except ValueError:
        pass
    if len(raw) == 7:
        try:
            return date.fromisoformat(f"{raw}-01")
        except ValueError:
            pass
    raise forms.ValidationError(_("Enter a month as YYYY-MM-DD or YYYY-MM."))


class PlanForm(forms.Form):
    """Every problem is reported at once; a fractional goal only once the rest is good."""

    month = forms.CharField(required=False, strip=False)
    goal_kind = forms.CharField(required=False, strip=False)
    goal_value = forms.CharField(required=False, strip=False)
    avg_order_amount = forms.CharField(required=False, strip=False)

    def __init__(self, *args, percent: bool = False, **kwargs):
        """`percent`: the page's rate boxes take percentages (45 = 45%), as every form does; the API
        keeps fractions (0.45), as its numbers are."""
        super().__init__(*args, **kwargs)
        self.percent = percent
        for key, _num, _den in funnel.STEPS:
            self.fields[f"rate_{key}"] = forms.CharField(required=False, strip=False)

    def clean_month(self) -> date:
        return _month(str(self.cleaned_data.get("month") or ""))

    def clean_goal_kind(self) -> str:
        kind = self.cleaned_data.get("goal_kind") or Plan.Goal.ORDERS
        if kind not in Plan.Goal.values:
            raise forms.ValidationError(_("Choose orders or revenue."))
        return kind

    def clean_goal_value(self) -> Decimal:
        # Orders or yen; which one is known in clean(), where the orders bound is checked.
        goal = _positive(self.cleaned_data.get("goal_value"), upper=Decimal(bounds.MAX_AMOUNT_YEN))
        if goal is None:
            raise forms.ValidationError(_("Enter the goal."))
        return goal

    def clean_avg_order_amount(self) -> Decimal | None:
        return _positive(self.cleaned_data.get("avg_order_amount"), upper=Decimal(bounds.MAX_AMOUNT_YEN))

    def clean(self):
        data = super().clean()
        for key, _num, _den in funnel.STEPS:
            field = f"rate_{key}"
            if field in data:
                try:
                    if self.percent:
                        rate = _positive(data[field], upper=Decimal(100), lower=MIN_RATE * 100)
                        data[field] = rate / 100 if rate is not None else None
                    else:
                        data[field] = _positive(data[field], upper=Decimal(1), lower=MIN_RATE)
                except forms.ValidationError as exc:
                    self.add_error(field, exc)
        goal = data.get("goal_value")
        if not self.errors and goal != goal.to_integral_value():
            self.add_error("goal_value", _("Enter a whole number."))
        if not self.errors:
            avg = data.get("avg_order_amount")
            orders = goal if data.get("goal_kind") == Plan.Goal.ORDERS else (goal / avg if avg else None)
            if orders is not None and orders > MAX_ORDERS:
                self.add_error("goal_value", _("At most %(max)s orders a month.") % {"max": f"{MAX_ORDERS:,}"})
        return data

    def plan_input(self, team: Team) -> PlanInput:
        data = self.cleaned_data
        rates = {k: data[f"rate_{k}"] for k, _n, _d in funnel.STEPS if data.get(f"rate_{k}") is not None}
        return PlanInput(team, data["month"], data["goal_kind"], data["goal_value"], rates, data["avg_order_amount"])


def plan_input_parse(*, team: Team, data: dict, percent: bool = False) -> PlanInput:
    """Raw form (rates in percent) or API data (rates as fractions) as a PlanInput; an ApplicationError
    naming every bad field otherwise."""
    form = PlanForm(data=data, percent=percent)
    if not form.is_valid():
        fields = form_fields(form)
        raise ApplicationError("; ".join(f"{k}: {v}" for k, v in fields.items()), fields=fields)
    return form.plan_input(team)
