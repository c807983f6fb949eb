"""Who may see or change what in kpi: one loader per object, answering 404 or 403; rules on users and teams are in accounts/permissions.py."""  # noqa: E501

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts import permissions
from accounts.models import Team, User

from .models import DefinitionVersion, ImportJob, Integration, KpiDefinition, Meeting, Plan, ReviewItem, ReviewRule

# --- KPI definitions ------------------------------------------------------------------------------


def definition_for_user(user: User, key: str, *, write: bool = False) -> KpiDefinition:
    """A KPI definition: every signed-in person reads the KPI sheet; `write` (propose a change) is for
    managers, FS, marketing and ops (permissions.can_draft_definitions)."""
    definition = KpiDefinition.objects.filter(key=key).first()
    if definition is None:
        raise Http404
    if write and not permissions.can_draft_definitions(user):
        raise PermissionDenied
    return definition


def definition_version_for_user(user: User, pk: int, *, write: bool = False) -> DefinitionVersion:
    """A definition version with its definition; `write` (decide on it) is for the signing
    departments (permissions.can_sign_definitions)."""
    version = DefinitionVersion.objects.select_related("definition").filter(pk=pk).first()
    if version is None:
        raise Http404
    if write and not permissions.can_sign_definitions(user):
        raise PermissionDenied
    return version


# --- imports, integrations, meetings -----------------------------------------------------------


def import_jobs_visible_to(user: User) -> QuerySet[ImportJob]:
    """Ops: every import job. A manager: the jobs uploaded by the managers of the teams they manage
    (themselves included), whose rows are their teams' reps only (import_rep_ids_for); others: none."""
    if user.is_ops:
        return ImportJob.objects.all()
    if user.role != User.Role.MANAGER:
        return ImportJob.objects.none()
    teams = permissions.teams_managed_by(user)
    return ImportJob.objects.filter(
        Q(created_by=user) | Q(created_by__role=User.Role.MANAGER, created_by__managed_teams__in=teams)
    ).distinct()


def import_job_for_user(user: User, pk: int, *, write: bool = False) -> ImportJob:
    """An import job: 403 for those who may not import, 404 for a job they may not see (another team's);
    write (start a previewed job) is the same rule."""
    get_object_or_404(ImportJob.objects.only("pk"), pk=pk)
    permissions.require(permissions.can_import(user))
    return get_object_or_404(import_jobs_visible_to(user), pk=pk)


def import_rep_ids_for(user: User | None) -> set[int] | None:
    """Whose calls a user may import: None (anyone) for ops and for jobs with no uploader (the command
    line); a manager: the reps and managers of the teams they manage."""
    if user is None or user.is_ops or user.role != User.Role.MANAGER:
        return None
    teams = permissions.teams_managed_by(user)
    return set(
        User.objects.filter(Q(team__in=teams) | Q(managed_teams__in=teams), is_active=True).values_list("pk", flat=True)
    ) | {user.pk}


def can_manage_import_profiles(user: User) -> bool:
    """Profiles are shared by every upload: ops create, edit, delete them and add values; managers pick one."""
    return user.is_ops


def import_lines_visible(user: User, lines: list[dict]) -> list[dict]:
    """A job's per-rep-and-day lines ({"rep": email, ...}): all for ops; a manager's own teams' reps only."""
    allowed = import_rep_ids_for(user)
    if allowed is None:
        return lines
    emails = {e.lower() for e in User.objects.filter(pk__in=allowed).values_list("email", flat=True)}
    return [line for line in lines if line["rep"].lower() in emails]


def integration_for_user(user: User, pk: int, *, write: bool = False) -> Integration:
    """An integration and its token: ops only, to read and to revoke (write)."""
    integration = get_object_or_404(Integration, pk=pk)
    permissions.require(permissions.can_administer(user))
    return integration


def meeting_for_user(user: User, pk: int, *, write: bool = False) -> Meeting:
    """A meeting handed over to FS: FS and ops work them (write: record an outcome)."""
    meeting = get_object_or_404(Meeting.objects.select_related("rep", "fs_owner"), pk=pk)
    permissions.require(permissions.can_work_meetings(user))
    return meeting


# --- review items ---------------------------------------------------------------------------------


def can_see_review_items(user: User) -> bool:
    return user.is_ops or user.role in (User.Role.MANAGER, User.Role.REP)


def can_act_on_review_items(user: User) -> bool:
    """Managers and ops act on review items (the header badge counts theirs)."""
    return user.is_ops or user.role == User.Role.MANAGER


def can_act_on_review_item(user: User, item: ReviewItem) -> bool:
    """Record the PDCA trail and close: the item's team's managers; organisation-scope items, ops."""
    if item.team_id is None:
        return user.is_ops
    return permissions.can_manage_team(user, item.team_id)


def review_items_visible_to(user: User) -> QuerySet[ReviewItem]:
    """An item and its notes (cause, next action, result) are coaching about one person: ops see every
    item; a manager the items of the teams they manage; a rep only the rep items about themselves
    (not a teammate's, not the team's). The list form of _sees_item below."""
    if user.is_ops:
        return ReviewItem.objects.all()
    if user.role == User.Role.MANAGER:
        return ReviewItem.objects.filter(team__in=permissions.teams_managed_by(user))
    if user.role == User.Role.REP:
        return ReviewItem.objects.filter(scope="rep", scope_id=user.pk)
    return ReviewItem.objects.none()


def review_item_for_user(user: User, pk: int, *, write: bool = False) -> ReviewItem:
    """404 when there is no such item or the user may not see it (a teammate or a rep of another team
    learns nothing of it); 403 when they may see it but `write` asks to act on it."""
    item = ReviewItem.objects.select_related("rule", "team", "responsible").filter(pk=pk).first()
    if item is None or not _sees_item(user, item):
        raise Http404
    permissions.require(not write or can_act_on_review_item(user, item))
    return item


def _sees_item(user: User, item: ReviewItem) -> bool:
    if user.is_ops:
        return True
    if user.role == User.Role.REP:
        return item.scope == "rep" and item.scope_id == user.pk
    if user.role == User.Role.MANAGER and item.team_id is not None:
        return permissions.can_manage_team(user, item.team_id)
    return False


# --- review rules ---------------------------------------------------------------------------------


def can_see_review_rules(user: User) -> bool:
    return can_act_on_review_items(user)


def can_create_review_rule(user: User, *, scope, scope_id) -> bool:
    """Ops: any rule; a manager: rules on their own team or one of its reps (scope_id as posted)."""
    if user.is_ops:
        return True
    if not scope_id or not str(scope_id).isdecimal() or len(str(scope_id)) > 19:  # 19: a bigint's digits
        return False
    if scope == "team":
        return permissions.can_manage_team(user, int(scope_id))
    if scope == "rep":
        return permissions.reps_visible_to(user).filter(pk=int(scope_id)).exists()
    return False


def review_rule_ids_manageable(user: User, rules: list[ReviewRule]) -> set[int]:
    """The rules the user may edit, activate or deactivate: whoever may create them. Ops: any rule; a
    manager: rules on their own team or one of its reps; organisation-wide rules and rules for everyone
    in a scope are ops-only. The manager's teams and reps are read once (two queries whatever the rules
    and their scopes), so the rules list decides its buttons without a query per row."""
    if user.is_ops:
        return {rule.pk for rule in rules}
    if not can_see_review_rules(user):
        return set()
    own = {
        "team": permissions.team_ids_managed_by(user),
        "rep": set(permissions.reps_visible_to(user).values_list("pk", flat=True)),
    }
    return {rule.pk for rule in rules if rule.scope_id is not None and rule.scope_id in own.get(rule.scope, ())}


def review_rules_visible(user: User) -> QuerySet[ReviewRule]:
    """Ops: every rule. A manager: the organisation-wide rules and rules for everyone in a scope (they
    apply to the manager's teams too), and the rules on their own teams and those teams' reps, never a
    rule naming another team or another team's rep. Nobody else sees rules."""
    if user.is_ops:
        return ReviewRule.objects.all()
    if not can_see_review_rules(user):
        return ReviewRule.objects.none()
    teams = permissions.teams_managed_by(user)
    reps = User.objects.filter(team__in=teams).values("pk")
    return ReviewRule.objects.filter(
        Q(scope="org")
        | Q(scope_id__isnull=True)
        | Q(scope="team", scope_id__in=teams.values("pk"))
        | Q(scope="rep", scope_id__in=reps)
    )


def review_rule_for_user(user: User, pk: int, *, write: bool = False) -> ReviewRule:
    """403 when the user may not see rules at all, 404 when there is no such rule or it names another
    team or another team's rep, 403 when `write` asks to change a rule the user may not change."""
    permissions.require(can_see_review_rules(user))
    rule = review_rules_visible(user).filter(pk=pk).first()
    if rule is None:
        raise Http404
    permissions.require(not write or rule.pk in review_rule_ids_manageable(user, [rule]))
    return rule


# --- plans and the planner ------------------------------------------------------------------------


def plan_for_user(user: User, pk: int, *, write: bool = False) -> Plan:
    """404 when there is no such plan or its team is not one the user sees; 403 when `write` asks to
    manage it (open its detail, apply it) and the user does not manage the team."""
    plan = Plan.objects.select_related("team", "created_by").filter(pk=pk).first()
    if plan is None or not permissions.can_view_team(user, plan.team_id):
        raise Http404
    permissions.require(not write or permissions.can_manage_team(user, plan.team_id))
    return plan


def planner_team_for_user(user: User, team_id) -> Team:
    """The asked-for team through accounts.permissions.team_for_user (404 / 403), or, asked for none, the
    first team the user manages (403 when none). Unlike managed_team_or_first, a team asked for and not
    managed is refused, not swapped for another."""
    if team_id and str(team_id).isdecimal():
        return permissions.team_for_user(user, int(team_id), manage=True)
    team = permissions.teams_managed_by(user).first()
    permissions.require(team is not None)
    return team


# --- the rep page ---------------------------------------------------------------------------------


def rep_for_user(user: User, pk: int) -> User:
    """A rep's page (trend, funnel, heatmap, review items, calls): the rep themself, the managers of
    the rep's team and ops. 404 for everyone else, so a teammate or an outsider learns nothing of
    whether the person exists."""
    rep = User.objects.select_related("team").filter(pk=pk, role=User.Role.REP).first()
    if rep is None or not permissions.can_view_rep_detail(user, rep):
        raise Http404
    return rep


def board_links_to_rep_pages(user: User, team: Team, visible_teams: list[Team]) -> bool:
    """Whether the team board's names open rep pages for this viewer: for the team's managers and ops,
    who may open every rep's page (rep_for_user). A rep sees the board without links: teammates' pages
    are not theirs to open. A manager sees exactly the teams they manage (teams_visible_to), so a team
    among the `visible_teams` the board already read is one they manage: no query."""
    if user.is_ops:
        return True
    return user.role == User.Role.MANAGER and any(t.pk == team.pk for t in visible_teams)
