"""Who may see and do what: every view and API endpoint asks here, nowhere else.

- rep: their own numbers and their own team's board;
- manager: the teams they manage (and everyone in them);
- fs: the meetings handed over to field sales;
- marketing: organisation-level numbers and lead supply;
- ops: everything.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

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


def team_for_user(user: User, team_id: int, *, manage: bool = False) -> Team:
    """The team `user` may see (manage=True: manage); Http404 when there is no such team, PermissionDenied
    when there is one the user may not see or manage. One query when the user may."""
    allowed = teams_managed_by(user) if manage else teams_visible_to(user)
    team = allowed.filter(pk=team_id).first()
    if team is None:
        _deny_or_404(team_id)
    return team


def team_among_visible(user: User, team_id: int) -> tuple[Team, list[Team]]:
    """team_for_user and the teams the user may see (for a team switcher), in one query when allowed."""
    teams = list(teams_visible_to(user))
    team = next((t for t in teams if t.pk == team_id), None)
    if team is None:
        _deny_or_404(team_id)
    return team, teams


def managed_team_or_first(user: User, team_id) -> tuple[Team, list[Team]]:
    """The managed team named by `team_id` (any form; unknown or not managed: the first managed team) and
    every team the user manages; PermissionDenied for users who manage none."""
    teams = list(teams_managed_by(user))
    require(bool(teams))
    return next((t for t in teams if str(t.pk) == str(team_id)), teams[0]), teams


def _deny_or_404(team_id: int):
    if not Team.objects.filter(pk=team_id).exists():
        raise Http404("No such team.")
    raise PermissionDenied


def may_set_targets(user: User, rep_teams: dict[int, int | None]) -> Callable[[str, int], bool]:
    """may(scope, scope_id): whether `user` may set that scope's targets (ops anything, a manager their
    teams and those teams' reps), without a query per row. `rep_teams`: {rep id: team id}."""
    managed = team_ids_managed_by(user)

    def may(scope: str, scope_id: int) -> bool:
        if managed is None:
            return True
        if scope == "team":
            return scope_id in managed
        return scope == "rep" and rep_teams.get(scope_id) in managed

    return may


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


def can_view_lead_supply(user: User) -> bool:
    """Lead supply and FS capacity per month: marketing, FS and managers read it; ops too."""
    return user.is_ops or user.role in (User.Role.MARKETING, User.Role.FS, User.Role.MANAGER)


def can_plan_lead_supply(user: User) -> bool:
    return user.is_ops or user.role == User.Role.MARKETING


def can_plan_fs_capacity(user: User) -> bool:
    return user.is_ops or user.role == User.Role.FS


def can_import(user: User) -> bool:
    return user.is_ops or user.role == User.Role.MANAGER


def can_administer(user: User) -> bool:
    """Ops: integrations and their tokens, rep imports, job health."""
    return user.is_ops


def can_import_reps(user: User) -> bool:
    return can_administer(user)


def is_person(user) -> bool:
    """A signed-in, active person (an integration's token is no person): what the API asks by default."""
    return isinstance(user, User) and user.is_active


def can_ingest_by_hand(user) -> bool:
    """Ops may replay an integration's payload through the ingest API themselves."""
    return is_person(user) and user.is_ops


# KPI definitions are contracts between these departments: a version applies once each has approved.
SIGNING_DEPARTMENTS = ("is", "fs", "marketing")


def can_draft_definitions(user: User) -> bool:
    """Managers, FS, marketing and ops propose definition changes; reps do not."""
    return user.role in (User.Role.MANAGER, User.Role.MARKETING, User.Role.FS, User.Role.OPS) or user.is_superuser


def can_sign_definitions(user: User) -> bool:
    """IS managers, FS and marketing sign for their department; reps and ops do not."""
    return user.role != User.Role.REP and user.department_code in SIGNING_DEPARTMENTS


def can_manage_people(user: User) -> bool:
    """Create, edit, deactivate users and send them a sign-in link: ops."""
    return user.is_ops


def leaves_no_ops(*, losing) -> bool:
    """Whether the product would have no active ops user left if the users `losing` (ids) stopped being
    active ops: the last ops user may not be demoted or deactivated (nobody could manage people then)."""
    remaining = User.objects.filter(Q(role=User.Role.OPS) | Q(is_superuser=True), is_active=True)
    return not remaining.exclude(pk__in=list(losing)).exists()
