"""Who may see and do what: every view and API endpoint asks here, nowhere else.

- rep: their own numbers and their own team's board;
- manager: the teams they manage (and everyone in them);
- fs: the meetings handed over to field sales;
- marketing: organisation-level numbers and lead supply;
- ops: everything.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from .models import Team, User

SCOPE_REP = "rep"
SCOPE_TEAM = "team"
SCOPE_ORG = "org"


def teams_visible_to(user: User) -> QuerySet[Team]:
    if user.is_ops:
        return Team.objects.all()
    if user.role == User.Role.MANAGER:
        return user.managed_teams.all()
    if user.role == User.Role.REP and user.team_id:
        return Team.objects.filter(pk=user.team_id)
    return Team.objects.none()


def reps_visible_to(user: User) -> QuerySet[User]:
    reps = User.objects.filter(role=User.Role.REP, is_active=True)
    if user.is_ops:
        return reps
    if user.role == User.Role.MANAGER:
        return reps.filter(team__in=user.managed_teams.all())
    if user.role == User.Role.REP:
        # A rep sees the team board, so the team's reps are visible at board level.
        return reps.filter(team_id=user.team_id) if user.team_id else reps.filter(pk=user.pk)
    return reps.none()


def can_view_team(user: User, team_id: int) -> bool:
    return teams_visible_to(user).filter(pk=team_id).exists()


def can_manage_team(user: User, team_id: int) -> bool:
    """Set targets, act on review items, apply plans."""
    if user.is_ops:
        return True
    return user.role == User.Role.MANAGER and user.managed_teams.filter(pk=team_id).exists()


def teams_managed_by(user: User) -> QuerySet[Team]:
    """The teams `user` may manage (can_manage_team): every team for ops, their own for a manager."""
    if user.is_ops:
        return Team.objects.all()
    if user.role == User.Role.MANAGER:
        return user.managed_teams.all()
    return Team.objects.none()


def team_ids_managed_by(user: User) -> set[int] | None:
    """The ids of teams_managed_by in one query, for checking many rows at once; None for ops, who
    manage every team."""
    if user.is_ops:
        return None
    return set(teams_managed_by(user).values_list("pk", flat=True))


def can_view_rep_detail(user: User, rep: User) -> bool:
    """A rep's own detailed numbers: the rep, their managers, ops."""
    if user.is_ops or user.pk == rep.pk:
        return True
    return rep.team_id is not None and can_manage_team(user, rep.team_id)


def can_view_org(user: User) -> bool:
    return user.is_ops or user.role in (User.Role.MANAGER, User.Role.MARKETING)


def can_view_scope(user: User, scope: str, scope_id: int | None) -> bool:
    if scope == SCOPE_ORG:
        return can_view_org(user)
    if scope == SCOPE_TEAM:
        return scope_id is not None and can_view_team(user, scope_id)
    if scope == SCOPE_REP:
        rep = User.objects.filter(pk=scope_id).first()
        return rep is not None and can_view_rep_detail(user, rep)
    return False


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def can_work_meetings(user: User) -> bool:
    return user.is_ops or user.role == User.Role.FS


def can_log_calls(user: User) -> bool:
    """Quick-log from the today page: the people who own calls (IS reps and managers)."""
    return user.role in (User.Role.REP, User.Role.MANAGER)


def can_record_leads(user: User) -> bool:
    return user.is_ops or user.role == User.Role.MARKETING


def can_import(user: User) -> bool:
    return user.is_ops or user.role == User.Role.MANAGER


def can_administer(user: User) -> bool:
    return user.is_ops


# KPI definitions are contracts between these departments: a version applies once each has approved.
SIGNING_DEPARTMENTS = ("is", "fs", "marketing")


def can_draft_definitions(user: User) -> bool:
    """Managers, FS, marketing and ops propose definition changes; reps do not."""
    return user.role in (User.Role.MANAGER, User.Role.MARKETING, User.Role.FS, User.Role.OPS) or user.is_superuser


def can_sign_definitions(user: User) -> bool:
    """IS managers, FS and marketing sign for their department; reps and ops do not."""
    return user.role != User.Role.REP and user.department_code in SIGNING_DEPARTMENTS
