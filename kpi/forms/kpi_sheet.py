"""The "propose a change" form of the KPI sheet, built from the definition's JSON schema so the page
offers exactly the parameters the service accepts (kpi/services/definitions.py validates again)."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import catalog
from ..models import CallLog, Meeting
from ..services import definitions

CONDITION_LABELS = {
    "min_duration_seconds": _("Minimum call duration (seconds)"),
    "directions": _("Call directions that count"),
    "include_email_replies": _("Count email replies from the target person"),
    "kinds": _("Meeting kinds that count"),
    "results": _("Call results that count"),
}
ENUM_LABELS = {
    "directions": CallLog.Direction.choices,
    "kinds": Meeting.Kind.choices,
    "results": CallLog.Result.choices,
}
UNIT_CHOICES = [
    ("count", _("Count")),
    ("percent", _("Percent")),
    ("per_hour", _("Per hour")),
    ("jpy", _("JPY")),
    ("hours", _("Hours")),
]
DIRECTION_CHOICES = [(catalog.HIGHER, _("Higher is better")), (catalog.LOWER, _("Lower is better"))]
CADENCE_CHOICES = [("weekly", _("Weekly")), ("monthly", _("Monthly")), ("quarterly", _("Quarterly"))]


def kpi_label(key: str) -> str:
    spec = catalog.get(key)
    return spec.name_en if (get_language() or "ja").startswith("en") else spec.name_ja


def _condition_field(name: str, schema: dict) -> forms.Field:
    label = CONDITION_LABELS.get(name, name)
    if schema.get("type") == "integer":
        return forms.IntegerField(label=label, min_value=schema.get("minimum"), max_value=schema.get("maximum"))
    if schema.get("type") == "boolean":
        return forms.BooleanField(label=label, required=False)
    if schema.get("type") == "array":
        return forms.MultipleChoiceField(label=label, choices=ENUM_LABELS[name], widget=forms.CheckboxSelectMultiple)
    raise ValueError(f"no form field for condition {name!r}")


class DraftForm(forms.Form):
    effective_from = forms.DateField(label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES)
    direction = forms.ChoiceField(label=_("Direction"), choices=DIRECTION_CHOICES)
    review_cadence = forms.ChoiceField(label=_("Review cadence"), choices=CADENCE_CHOICES)
    reason = forms.CharField(label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, key: str, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        schema = definitions.params_schema(key)["properties"]
        self.condition_names = list(schema.get("conditions", {}).get("properties", {}))
        for name in self.condition_names:
            self.fields[f"c_{name}"] = _condition_field(name, schema["conditions"]["properties"][name])
            self.initial.setdefault(f"c_{name}", definitions.condition(current, key, name))
        spec = catalog.get(key)
        if spec.denominator_choices:
            self.fields["denominator"] = forms.ChoiceField(
                label=_("Denominator"), choices=[(k, kpi_label(k)) for k in spec.denominator_choices]
            )
            self.initial.setdefault("denominator", current.get("denominator"))
        for name in ("unit", "direction", "review_cadence"):
            self.initial.setdefault(name, current.get(name))
        # Conditions first, then the contract's shape, then when and why.
        order = [f"c_{n}" for n in self.condition_names] + ["denominator", "unit", "direction", "review_cadence"]
        self.order_fields([*order, "effective_from", "reason"])

    def params(self) -> dict:
        data = self.cleaned_data
        params = {k: data[k] for k in ("unit", "direction", "review_cadence")}
        if self.condition_names:
            params["conditions"] = {n: data[f"c_{n}"] for n in self.condition_names}
        if "denominator" in self.fields:
            params["denominator"] = data["denominator"]
        return params
