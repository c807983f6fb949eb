"""Integrations (ops only): issue a token, shown once; revoke it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import permissions

from .. import permissions as kpi_permissions
from ..forms.integrations import IntegrationForm
from ..selectors.integrations import integrations_by_name
from ..services.integrations import integration_issue_token, integration_revoke_token


@login_required
def integrations(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_administer(request.user))
    form = IntegrationForm(request.POST or None)
    token = token_scope = None
    if request.method == "POST" and form.is_valid():
        issued, token = integration_issue_token(
            name=form.cleaned_data["name"],
            source=form.cleaned_data["source"],
            scope=form.cleaned_data["scope"],
            created_by=request.user,
        )
        token_scope = issued.scope
        form = IntegrationForm()
    return render(
        request,
        "kpi/integrations.html",
        {"form": form, "token": token, "token_scope": token_scope, "integrations": integrations_by_name()},
    )


@login_required
def integration_revoke(request: HttpRequest, integration_id: int) -> HttpResponse:
    permissions.require(request.method == "POST")
    integration = kpi_permissions.integration_for_user(request.user, integration_id, write=True)
    integration_revoke_token(integration=integration)
    messages.success(request, _("Token revoked."))
    return redirect("integrations")
