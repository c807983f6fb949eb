"""The today page's quick-log of one call."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import periods
from ..services.quicklog import RESULTS
from . import bounded_date, duration_field


class QuickLogForm(forms.Form):
    result = forms.ChoiceField(choices=[(r.value, r.label) for r in RESULTS])
    duration_seconds = duration_field(label=_("Duration (s)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    reached_target = forms.BooleanField(label=_("Reached the decision maker"), required=False)
    appointment_for = forms.DateTimeField(
        label=_("Appointment (hand to FS)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def clean_appointment_for(self):
        """A datetime-local box has no offset: it is organisation local time."""
        appointment = self.cleaned_data["appointment_for"]
        if appointment is not None and appointment.tzinfo is None:
            appointment = appointment.replace(tzinfo=periods.org_tz())
        # Year 1 (before Tokyo's offset existed) once took the meetings page down for everyone.
        return bounded_date(appointment)
