"""Switching a team's chat webhook on or off: which one, and what to set (not "toggle": a double
submit is harmless)."""

from django import forms


class WebhookSwitchForm(forms.Form):
    webhook_id = forms.IntegerField(min_value=1)
    active = forms.TypedChoiceField(choices=[("0", "0"), ("1", "1")], coerce=lambda v: v == "1")


class WebhookAddForm(forms.Form):
    """A new webhook as typed; the service says what is wrong with it."""

    kind = forms.CharField(required=False)
    url = forms.CharField(required=False)
