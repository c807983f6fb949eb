"""Writing people: ops create, edit and deactivate users, and send them a one-time link to set their
password (an invitation for a new user, a reset for anyone). Refusals are Django ValidationErrors keyed
by field (accounts imports nothing from the product, whose ApplicationError lives in kpi).

A deactivated user keeps every call, target and review item: they cannot sign in, and boards leave
them out from the day after their last day.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from . import permissions
from .models import Team, User


def _refuse_if_last_ops(user: User, *, role: str | None = None, active: bool = True) -> None:
    still_ops = active and (role or user.role) == User.Role.OPS
    if user.is_ops and user.is_active and not still_ops and permissions.leaves_no_ops(losing={user.pk}):
        field = "role" if active else "last_day"
        raise ValidationError({field: _("This is the last ops user: make someone else ops first.")})


@transaction.atomic
def user_save(
    *,
    user: User | None,
    email: str,
    name: str,
    role: str,
    team: Team | None,
    managed_teams=(),
    workdays: str,
    work_hours_per_day: Decimal,
) -> User:
    """Create (user=None; no password until they follow their invitation) or edit a user. A manager's
    `managed_teams` are the teams whose reps they manage; other roles manage none."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exclude(pk=user.pk if user else None).exists():
        raise ValidationError({"email": _("Another user has this email.")})
    if user is None:
        user = User.objects.create_user(email=email, password=None)
    else:
        _refuse_if_last_ops(user, role=role)
    user.email, user.name, user.role, user.team = email, name.strip(), role, team
    user.workdays, user.work_hours_per_day = workdays, work_hours_per_day
    user.save()
    user.managed_teams.set(list(managed_teams) if role == User.Role.MANAGER else [])
    return user


@transaction.atomic
def user_deactivate(*, user: User, last_day: date) -> User:
    """A leaver: no more sign-in, off the boards after `last_day`, history kept; they manage no team."""
    _refuse_if_last_ops(user, active=False)
    user.is_active, user.last_day = False, last_day
    user.save(update_fields=["is_active", "last_day"])
    user.managed_teams.clear()
    return user


def user_reactivate(*, user: User) -> User:
    user.is_active, user.last_day = True, None
    user.save(update_fields=["is_active", "last_day"])
    return user


def password_link(*, user: User, base_url: str) -> str:
    """The one-time link to set a password: it stops working once the password is set (or the user signs
    in), and after settings.PASSWORD_RESET_TIMEOUT."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("password_set", args=[uid, token])


def user_send_password_link(*, user: User, base_url: str, sent_by: User) -> str:
    """Mail `user` their link: an invitation if they never signed in with a password, else a reset.
    Returns the link (shown to ops too, for a mailbox that does not receive)."""
    if not user.is_active:
        raise ValidationError({"user": _("Reactivate this user first.")})
    link = password_link(user=user, base_url=base_url)
    days = settings.PASSWORD_RESET_TIMEOUT // 86400
    if user.has_usable_password():
        subject = _("Reset your ISales KPI password")
        body = _(
            "Hello %(name)s,\n\n%(by)s sent you a link to set a new password for ISales KPI:\n\n%(link)s\n\n"
            "The link works once and for %(days)s days. If you did not expect it, ignore this mail."
        )
    else:
        subject = _("You are invited to ISales KPI")
        body = _(
            "Hello %(name)s,\n\n%(by)s invited you to ISales KPI. Set your password here to sign in with "
            "%(email)s:\n\n%(link)s\n\nThe link works once and for %(days)s days."
        )
    values = {"name": str(user), "by": str(sent_by), "link": link, "days": days, "email": user.email}
    send_mail(subject, body % values, None, [user.email])
    return link
