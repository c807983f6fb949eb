"""A team's chat webhooks (Slack, Microsoft Teams), managed from its weekly review: add one, switch
one off or on. Review items opened on the team and the Monday digest are posted to the active ones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions

from ..errors import ApplicationError
from ..forms.webhooks import WebhookAddForm, WebhookSwitchForm
from ..services import webhooks as webhook_services


@require_POST
@login_required
def team_webhooks(request: HttpRequest, team_id: int) -> HttpResponse:
    team = permissions.team_for_user(request.user, team_id, manage=True)
    if request.POST.get("action") == "add":
        form = WebhookAddForm(request.POST)
        form.is_valid()  # every field is optional text: always valid
        try:
            webhook_services.team_webhook_add(team_id=team.pk, **form.cleaned_data)
            messages.success(request, _("Chat webhook added."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        form = WebhookSwitchForm(request.POST)
        if form.is_valid():
            webhook_services.team_webhook_set_active(team_id=team.pk, **form.cleaned_data)
            messages.success(request, _("Chat webhook saved."))
    return redirect("weekly_review", team_id=team.pk)
