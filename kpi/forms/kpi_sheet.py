"""The KPI sheet's forms: "propose a change", built from the definition conditions registry
(kpi/conditions.py) so the page offers exactly the parameters the service accepts (the service
validates again), and a department's decision on a draft."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import catalog, conditions
from ..conditions import CADENCE_CHOICES, DIRECTION_CHOICES, UNIT_CHOICES, kpi_label


def _condition_field(condition: conditions.Condition) -> forms.Field:
    common = {"label": condition.label, "help_text": condition.description}
    if condition.shown_as == conditions.SECONDS:
        schema = condition.schema
        return forms.IntegerField(min_value=schema["minimum"], max_value=schema["maximum"], **common)
    if condition.shown_as == conditions.YES_NO:
        return forms.BooleanField(required=False, **common)
    return forms.MultipleChoiceField(choices=condition.choices, widget=forms.CheckboxSelectMultiple, **common)


class DraftForm(forms.Form):
    effective_from = forms.DateField(label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.ChoiceField(label=_("Unit"), choices=UNIT_CHOICES)
    direction = forms.ChoiceField(label=_("Direction"), choices=DIRECTION_CHOICES)
    review_cadence = forms.ChoiceField(label=_("Review cadence"), choices=CADENCE_CHOICES)
    reason = forms.CharField(label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, key: str, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key
        self.condition_names = [c.name for c in conditions.for_kpi(key)]
        for condition in conditions.for_kpi(key):
            self.fields[f"c_{condition.name}"] = _condition_field(condition)
            self.initial.setdefault(f"c_{condition.name}", conditions.condition(current, key, condition.name))
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


class DecisionForm(forms.Form):
    """A department's decision on a draft: the button pressed and an optional comment."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = forms.CharField(required=False)

    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"
