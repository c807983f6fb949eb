"""Reads of the organisation's structure for the ops page."""

from django.db.models import Prefetch

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
