"""The review pages' input: a review rule (created, or edited), a PDCA entry with its new target, and
the items list's status filter. One parser per rule field, so every way a rule comes in is refused
the same way with the same message, and every bad field is named at once."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _

from .. import bounds, catalog, periods
from ..models import ReviewItem
from ..services import targets as target_services
from . import bounded_date, bounded_decimal, bounded_whole_number

RULE_FIELDS = ("kpi_key", "scope", "scope_id", "granularity", "threshold_pct", "min_sample", "pace_aware")
RULE_EDITABLE = ("granularity", "threshold_pct", "min_sample", "pace_aware")
RULE_DEFAULTS = {
    "pace_aware": True,
    "scope": "rep",
    "granularity": periods.MONTH,
    "threshold_pct": "70",
    "min_sample": "30",
}
MIN_SAMPLE_MAX = 1_000_000
_TENTH = Decimal("0.1")


def _kpi_key(raw) -> str:
    if raw not in catalog.REGISTRY:
        raise forms.ValidationError(_("Unknown KPI."))
    return raw


def _scope(raw) -> str:
    if raw not in ("rep", "team", "org"):
        raise forms.ValidationError(_("Choose rep, team or organisation."))
    return raw


def _scope_id(raw) -> int | None:
    if raw in (None, ""):
        return None  # everyone in the scope
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise forms.ValidationError(_("Enter an id.")) from None
    return bounded_whole_number(value, high=bounds.BIGINT_MAX)


def _granularity(raw) -> str:
    if raw not in (periods.WEEK, periods.MONTH, periods.QUARTER):
        raise forms.ValidationError(_("Choose week, month or quarter."))
    return raw


def _threshold_pct(raw) -> Decimal:
    # The column keeps one decimal: 72.55 would be stored as 72.6 behind the user's back, so refuse it.
    try:
        value = Decimal(str(raw).strip())
        ok = 0 < value <= 200 and value == value.quantize(_TENTH)
    except (ValueError, ArithmeticError):  # "abc"; NaN refuses to compare
        ok = False
    if not ok:
        raise forms.ValidationError(
            _("Enter a percentage above 0 and up to 200, with at most one decimal (e.g. 70 or 72.5).")
        )
    return value.quantize(_TENTH)


def _min_sample(raw) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = -1
    if not 0 <= value <= MIN_SAMPLE_MAX:
        raise forms.ValidationError(_("Enter a whole number from 0 to 1,000,000."))
    return value


def _raw(required=False):
    return forms.CharField(required=required, strip=False)


class ReviewRuleEditForm(forms.Form):
    """What may change once a rule exists: period, threshold, minimum sample, pace-awareness. KPI and
    scope are fixed: a rule's items and their PDCA trail are about that KPI and those people."""

    granularity = _raw()
    threshold_pct = _raw()
    min_sample = _raw()
    pace_aware = forms.BooleanField(required=False)  # an unticked box is "no", never an error

    def clean_granularity(self):
        return _granularity(self.cleaned_data["granularity"])

    def clean_threshold_pct(self):
        return _threshold_pct(self.cleaned_data["threshold_pct"])

    def clean_min_sample(self):
        return _min_sample(self.cleaned_data["min_sample"])


class ReviewRuleForm(ReviewRuleEditForm):
    """A new rule; fields left empty take their defaults (a rep rule on a month, below 70%, 30 attempts,
    pace-aware)."""

    kpi_key = _raw()
    scope = _raw()
    scope_id = _raw()
    field_order = RULE_FIELDS

    def __init__(self, data: dict, **kwargs):
        given = {k: v for k, v in data.items() if v not in (None, "")}
        super().__init__({**RULE_DEFAULTS, **given}, **kwargs)

    def clean_kpi_key(self):
        return _kpi_key(self.cleaned_data["kpi_key"])

    def clean_scope(self):
        return _scope(self.cleaned_data["scope"])

    def clean_scope_id(self):
        return _scope_id(self.cleaned_data["scope_id"])


class ReviewEntryForm(forms.Form):
    """A PDCA entry: cause and next action (their emptiness the service refuses, with the item's own
    state), a recheck day and a new target entered as on the targets page (counts whole, rates in percent)."""

    cause = forms.CharField(required=False, strip=False)
    next_action = forms.CharField(required=False, strip=False)
    recheck_on = _raw()
    new_target = _raw()
    target_period = _raw()  # the first day of the period the new target sets (the service checks which)

    def __init__(self, data, *, kpi_key: str, **kwargs):
        super().__init__(data, **kwargs)
        self.kpi_key = kpi_key

    def clean_recheck_on(self) -> date | None:
        raw = self.cleaned_data["recheck_on"]
        if not raw:
            return None
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise forms.ValidationError(_("Enter a date as YYYY-MM-DD.")) from None
        return bounded_date(day)

    def clean_target_period(self) -> date | None:
        raw = self.cleaned_data["target_period"]
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise forms.ValidationError(_("Choose a period from the list.")) from None

    def clean_new_target(self) -> Decimal | None:
        raw = self.cleaned_data["new_target"]
        if raw in (None, ""):
            return None
        try:
            # The one unit per KPI kind of every target entry; ReviewEntry.new_target is Decimal(14, 4).
            value = target_services.parse_entry(self.kpi_key, raw)
            return bounded_decimal(value, max_digits=14, decimal_places=4)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class ReviewItemsFilterForm(forms.Form):
    """The items list's status: open, closed, or (anything else) all."""

    status = forms.CharField(required=False)

    @property
    def status_value(self) -> str:
        raw = self.data.get("status", "all")
        return raw if raw in ReviewItem.Status.values else "all"

    @property
    def raw_status(self) -> str:
        return self.data.get("status", "all")
