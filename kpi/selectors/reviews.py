"""Review items and rules as pages read them, scoped to what the user may see and act on.

A rep sees the items of their own team (read only); a manager the items of the teams they manage;
ops everything, including organisation-scope items (which have no team).
"""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from accounts.models import User

from ..models import ReviewItem, ReviewRule

HINTS = {
    "connect": _("Low connect rate: review calling hours and list quality. Call in the best hours below."),
    "effective": _("Connects are fine but few become real conversations: review the talk script."),
    "meeting": _("Conversations are fine but few become meetings: review hearing and closing."),
    "volume": _("Rates hold up: the gap is call volume. Check the rep's schedule and time on the phone."),
}


def items_visible_to(user: User) -> QuerySet[ReviewItem]:
    items = ReviewItem.objects.select_related("rule", "team", "responsible")
    if user.is_ops:
        return items
    if user.role in (User.Role.MANAGER, User.Role.REP):
        return items.filter(team__in=permissions.teams_visible_to(user))
    return items.none()


def items_ordered(items: QuerySet[ReviewItem]) -> QuerySet[ReviewItem]:
    """Open first, newest first within each."""
    open_first = Case(When(status=ReviewItem.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return items.annotate(open_first=open_first).order_by("open_first", "-opened_at", "-pk")


def can_act_on(user: User, item: ReviewItem) -> bool:
    if item.team_id is None:
        return user.is_ops
    return permissions.can_manage_team(user, item.team_id)


def open_count_for(user: User) -> int:
    """The header badge: open items the user can act on."""
    if not (user.is_ops or user.role == User.Role.MANAGER):
        return 0
    items = ReviewItem.objects.filter(status=ReviewItem.Status.OPEN)
    if not user.is_ops:
        items = items.filter(team__in=user.managed_teams.all())
    return items.count()


def rules_visible_to(user: User) -> QuerySet[ReviewRule]:
    if user.is_ops or user.role == User.Role.MANAGER:
        return ReviewRule.objects.order_by("kpi_key", "pk")
    return ReviewRule.objects.none()
