"""Reads of the organisation's structure for the ops page."""

from django.db.models import Prefetch, Q

from .models import Team, User


def org_structure() -> tuple[list[Team], list[User]]:
    """Teams with their managers and active members, and the people in no team (3 queries)."""
    members = User.objects.filter(is_active=True).order_by("role", "name")
    teams = list(
        Team.objects.select_related("department").prefetch_related(
            Prefetch("members", queryset=members, to_attr="active_members"),
            Prefetch("managers", queryset=User.objects.order_by("name"), to_attr="manager_list"),
        )
    )
    unassigned = list(members.filter(team__isnull=True))
    return teams, unassigned


def people(*, q: str = "", role: str = "", status: str = "active") -> list[User]:
    """The people page's list: users by name, with their team and the teams they manage (2 queries)."""
    users = User.objects.select_related("team").prefetch_related(
        Prefetch("managed_teams", queryset=Team.objects.order_by("name"), to_attr="managed_list")
    )
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "inactive":
        users = users.filter(is_active=False)
    if role:
        users = users.filter(role=role)
    if q:
        users = users.filter(Q(name__icontains=q) | Q(email__icontains=q))
    return list(users.order_by("name", "email"))
