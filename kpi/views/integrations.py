"""Integrations (ops only): issue a token, shown once; revoke it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts import permissions

from ..api.auth import integration_issue_token
from ..models import Integration


class IntegrationForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100)
    source = forms.SlugField(label=_("Source"), max_length=64)

    def clean(self):
        data = super().clean()
        if Integration.objects.filter(name=data.get("name")).exists():
            self.add_error("name", _("An integration with this name exists."))
        if Integration.objects.filter(source=data.get("source")).exists():
            self.add_error("source", _("An integration with this source exists."))
        return data


@login_required
def integrations(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_administer(request.user))
    form = IntegrationForm(request.POST or None)
    token = None
    if request.method == "POST" and form.is_valid():
        _, token = integration_issue_token(
            name=form.cleaned_data["name"], source=form.cleaned_data["source"], created_by=request.user
        )
        form = IntegrationForm()
    return render(
        request,
        "kpi/integrations.html",
        {"form": form, "token": token, "integrations": Integration.objects.order_by("name")},
    )


@login_required
def integration_revoke(request: HttpRequest, integration_id: int) -> HttpResponse:
    permissions.require(permissions.can_administer(request.user) and request.method == "POST")
    integration = get_object_or_404(Integration, pk=integration_id)
    Integration.objects.filter(pk=integration.pk).update(is_active=False)
    messages.success(request, _("Token revoked."))
    return redirect("integrations")
