"""Ops' form to issue an integration's token: a unique name and a unique source."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..models import Integration


class IntegrationForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100)
    source = forms.SlugField(label=_("Source"), max_length=64)
    # Not sent (an older form, a script): an ingest token, as every token was before scopes.
    scope = forms.ChoiceField(
        label=_("Scope"), choices=Integration.Scope.choices, initial=Integration.Scope.INGEST, required=False
    )

    def clean_scope(self) -> str:
        return self.cleaned_data["scope"] or Integration.Scope.INGEST

    def clean(self):
        data = super().clean()
        if Integration.objects.filter(name=data.get("name")).exists():
            self.add_error("name", _("An integration with this name exists."))
        if Integration.objects.filter(source=data.get("source")).exists():
            self.add_error("source", _("An integration with this source exists."))
        return data
