"""The targets page: the reps x KPIs grid of one team and month, and the CSV import.

A grid box holds a count, or a rate in percent (45 = 45%); an empty box clears that target."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import catalog
from ..services.targets import GRID_KPIS, parse_value
from . import bounded_decimal


def cell_name(scope: str, scope_id: int, kpi: str) -> str:
    return f"v_{scope}_{scope_id}_{kpi}"


class TargetCell(forms.CharField):
    def __init__(self, kpi: str, **kwargs):
        super().__init__(required=False, **kwargs)
        self.kpi = kpi

    def to_python(self, value) -> Decimal | None:
        raw = (super().to_python(value) or "").strip()
        if raw == "":
            return None
        try:
            number = Decimal(raw.replace(",", ""))
            if catalog.get(self.kpi).kind == catalog.RATIO:
                number = number / 100
            # Target.value: DecimalField(max_digits=14, decimal_places=4).
            return bounded_decimal(parse_value(self.kpi, str(number)), max_digits=14, decimal_places=4)
        except ArithmeticError:  # decimal.InvalidOperation: its message is not for people
            raise forms.ValidationError(_("not a number")) from None
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class TargetGridForm(forms.Form):
    """One box per subject (scope, scope id) and grid KPI."""

    def __init__(self, data, *, subjects: list[tuple[str, int]]):
        super().__init__(data)
        self.subjects = subjects
        for scope, scope_id in subjects:
            for kpi in GRID_KPIS:
                self.fields[cell_name(scope, scope_id, kpi)] = TargetCell(kpi)

    def values(self) -> dict[tuple[str, int, str], Decimal | None]:
        """{(scope, scope id, kpi): value, None to clear}."""
        return {
            (scope, scope_id, kpi): self.cleaned_data[cell_name(scope, scope_id, kpi)]
            for scope, scope_id in self.subjects
            for kpi in GRID_KPIS
        }

    def cell_errors(self) -> dict[str, str]:
        """{"scope_id_kpi": the first error} as the grid template names them."""
        return {name.removeprefix("v_"): errors[0] for name, errors in self.errors.items()}


class TargetImportForm(forms.Form):
    file = forms.FileField(error_messages={"required": _("choose a CSV file")})
