"""People (Admin, ops): the list of users, a person's page (create, edit, deactivate, reactivate,
send a sign-in link) and the page behind that link where the user sets their password."""

import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from . import permissions, selectors, services
from .forms import DeactivateForm, PasswordSetForm, PeopleFilterForm, PersonForm, today
from .models import User

logger = logging.getLogger(__name__)


@login_required
def people(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.can_manage_people(request.user))
    query = PeopleFilterForm(request.GET)
    return render(request, "accounts/people.html", {"query": query, "people": selectors.people(**query.filters())})


def _apply_errors(form, exc: ValidationError) -> None:
    for field, messages_ in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@login_required
def person(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    permissions.require(permissions.can_manage_people(request.user))
    user = get_object_or_404(User, pk=pk) if pk else None
    action = request.POST.get("action", "save") if request.method == "POST" else None
    form = PersonForm(initial=PersonForm.initial_for(user) if user else None)
    leave = DeactivateForm(initial={"last_day": today()})
    if action == "save":
        form = PersonForm(request.POST)
        if form.is_valid():
            try:
                saved = services.user_save(user=user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                if user is None:
                    _invite(request, saved)
                else:
                    messages.success(request, _("Saved."))
                return redirect("person", pk=saved.pk)
    elif user is not None and action == "deactivate":
        leave = DeactivateForm(request.POST)
        if leave.is_valid():
            try:
                services.user_deactivate(user=user, last_day=leave.cleaned_data["last_day"])
            except ValidationError as exc:
                _apply_errors(leave, exc)
            else:
                messages.success(request, _("%(name)s was deactivated.") % {"name": user})
                return redirect("person", pk=user.pk)
    elif user is not None and action == "reactivate":
        services.user_reactivate(user=user)
        messages.success(request, _("%(name)s was reactivated.") % {"name": user})
        return redirect("person", pk=user.pk)
    elif user is not None and action == "send_link":
        try:
            services.user_send_password_link(user=user, base_url=_base(request), sent_by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except OSError:
            logger.exception("password link mail to user %s failed", user.pk)
            messages.error(request, _("The mail could not be sent; try again later."))
        else:
            messages.success(request, _("A sign-in link was mailed to %(email)s.") % {"email": user.email})
        return redirect("person", pk=user.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/person.html", {"person": user, "form": form, "leave": leave}, status=status)


def _invite(request: HttpRequest, user: User) -> None:
    """Mail a new user their invitation; the user exists either way, and the page says when the mail failed."""
    try:
        services.user_send_password_link(user=user, base_url=_base(request), sent_by=request.user)
    except OSError:  # SMTP down or refusing: ops can send the invitation again from the person's page
        logger.exception("invitation mail to user %s failed", user.pk)
        messages.warning(
            request, _("%(name)s was created, but the invitation mail could not be sent.") % {"name": user}
        )
    else:
        messages.success(request, _("%(name)s was created and invited by mail.") % {"name": user})


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The one-time link of an invitation or a reset: set a password, then sign in."""

    form_class = PasswordSetForm
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("login")
    reset_url_token = "set-password"

    def form_valid(self, form):
        messages.success(self.request, _("Your password is set: sign in with it."))
        return super().form_valid(form)
