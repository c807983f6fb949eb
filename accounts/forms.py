"""The people pages' input: the list's filter, a person (role, team, the teams a manager manages,
working days, daily hours) and a leaver's last day."""

from datetime import date
from decimal import Decimal

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Team, User

WEEKDAYS = (
    ("0", _("Mon")),
    ("1", _("Tue")),
    ("2", _("Wed")),
    ("3", _("Thu")),
    ("4", _("Fri")),
    ("5", _("Sat")),
    ("6", _("Sun")),
)


def today() -> date:
    return timezone.localdate()


class PeopleFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label=_("Search"))
    role = forms.ChoiceField(choices=[("", _("Every role")), *User.Role.choices], required=False, label=_("Role"))
    status = forms.ChoiceField(
        choices=[("active", _("Active")), ("inactive", _("Deactivated")), ("all", _("Everyone"))],
        required=False,
        label=_("Status"),
    )

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "role": data.get("role") or "",
            "status": data.get("status") or "active",
        }


class PersonForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False, empty_label="—")
    managed_teams = forms.ModelMultipleChoiceField(
        label=_("Manages"),
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For managers: the teams whose reps they manage."),
    )
    workdays = forms.MultipleChoiceField(
        label=_("Working days"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        initial=["0", "1", "2", "3", "4"],
    )
    work_hours_per_day = forms.DecimalField(
        label=_("Hours a day"),
        min_value=Decimal("0.5"),
        max_value=Decimal(24),
        max_digits=4,
        decimal_places=2,
        initial=Decimal(8),
    )

    def clean_workdays(self) -> str:
        return "".join(sorted(set(self.cleaned_data["workdays"])))

    @classmethod
    def initial_for(cls, user: User) -> dict:
        return {
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "team": user.team_id,
            "managed_teams": list(user.managed_teams.values_list("pk", flat=True)),
            "workdays": list(user.workdays),
            "work_hours_per_day": user.work_hours_per_day.normalize(),
        }


class DeactivateForm(forms.Form):
    last_day = forms.DateField(label=_("Last working day"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_last_day(self) -> date:
        day = self.cleaned_data["last_day"]
        if day > today():
            raise forms.ValidationError(_("Deactivate on or after the last day, not before it."))
        if day.year < 2000:
            raise forms.ValidationError(_("Not a date after 2000."))
        return day


class PasswordSetForm(SetPasswordForm):
    """Django's set-password form (with the configured password validators), for invitations and resets."""
