"""Marketing's form for one lead."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Lead


class LeadForm(forms.Form):
    company = forms.CharField(label=_("Company"), max_length=200)
    contact_name = forms.CharField(label=_("Contact"), max_length=200, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Lead.Channel.choices)
    external_id = forms.CharField(label=_("Lead ID"), max_length=128, required=False)
