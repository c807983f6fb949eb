"""Review items (list, detail with the PDCA trail, close) and review rules."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import permissions
from accounts.models import User

from .. import catalog, periods
from ..models import ReviewItem, ReviewRule
from ..selectors import heatmap
from ..selectors import reviews as review_selectors
from ..services import reviews as review_services
from ..services import targets as target_services
from .csv_export import csv_response
from .params import wants_csv


@login_required
def review_items(request: HttpRequest) -> HttpResponse:
    user = request.user
    permissions.require(user.is_ops or user.role in (User.Role.MANAGER, User.Role.REP))
    items = review_selectors.items_visible_to(user)
    status = request.GET.get("status", "all")
    if status in ReviewItem.Status.values:
        items = items.filter(status=status)
    items = list(review_selectors.items_ordered(items)[:500])
    labels = review_services.subject_labels(items)
    if wants_csv(request):
        return csv_response(
            "review_items.csv",
            [
                "id",
                "status",
                "kpi",
                "scope",
                "subject",
                "period_start",
                "as_of",
                "actual",
                "target",
                "expected",
                "attainment_pct",
                "hint",
                "responsible",
                "opened_at",
                "closed_at",
                "result",
            ],
            [
                [
                    i.pk,
                    i.status,
                    i.kpi_key,
                    i.scope,
                    labels[i.pk],
                    i.period_start,
                    i.as_of,
                    i.actual,
                    i.target,
                    i.expected,
                    i.attainment_pct,
                    i.hint,
                    i.responsible.email if i.responsible else "",
                    i.opened_at,
                    i.closed_at or "",
                    i.result,
                ]
                for i in items
            ],
        )
    return render(
        request,
        "kpi/review_items.html",
        {
            "items": [(i, labels[i.pk]) for i in items],
            "status": status,
            "can_rules": user.is_ops or user.role == User.Role.MANAGER,
        },
    )


def _item_for(user, pk: int) -> ReviewItem:
    item = review_selectors.items_visible_to(user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


@login_required
def review_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for(request.user, pk)
    can_act = review_selectors.can_act_on(request.user, item)
    errors: dict = {}
    if request.method == "POST":
        permissions.require(can_act)
        try:
            if request.POST.get("action") == "close":
                review_services.review_item_close(item=item, user=request.user, result=request.POST.get("result", ""))
                messages.success(request, _("Review item closed."))
            else:
                recheck_on = _date_or_error(request.POST.get("recheck_on"), errors)
                new_target = _target_or_error(item.kpi_key, request.POST.get("new_target"), errors)
                if not errors:
                    review_services.review_entry_add(
                        item=item,
                        author=request.user,
                        cause=request.POST.get("cause", ""),
                        next_action=request.POST.get("next_action", ""),
                        recheck_on=recheck_on,
                        new_target=new_target,
                    )
                    messages.success(request, _("Entry recorded."))
            if not errors:
                return redirect("review_item", pk=item.pk)
        except review_services.ReviewError as exc:
            errors.update(exc.errors)
    rep_ids = (
        [item.scope_id]
        if item.scope == "rep"
        else list(User.objects.filter(team_id=item.team_id, role=User.Role.REP).values_list("pk", flat=True))
    )
    # The connect-rate hours over the item's month and the two before it.
    first = periods.month_start(item.as_of)
    for _month in range(2):  # 60 days back from March would overshoot into December
        first = periods.month_start(first - timedelta(days=1))
    _hours, cells = heatmap.connect_heatmap(rep_ids=rep_ids, first=first, last=item.as_of)
    return render(
        request,
        "kpi/review_item.html",
        {
            "item": item,
            "subject": review_services.subject_label(item),
            "entries": item.entries.select_related("author"),
            "can_act": can_act,
            "errors": errors,
            "form": request.POST if errors else {},
            "hint": review_selectors.HINTS.get(item.hint, ""),
            "best_hours": heatmap.best_hours(cells),
            "is_rate": catalog.get(item.kpi_key).kind == catalog.RATIO,
        },
    )


def _date_or_error(raw, errors) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors["recheck_on"] = _("Enter a date as YYYY-MM-DD.")
        return None


def _target_or_error(kpi: str, raw, errors) -> Decimal | None:
    """The same rule as every other target entry (kpi/services/targets.parse_value): rates as fractions."""
    if raw in (None, ""):
        return None
    try:
        return target_services.parse_value(kpi, raw)
    except ValueError as exc:
        errors["new_target"] = str(exc)
        return None


@login_required
def review_rules(request: HttpRequest) -> HttpResponse:
    user = request.user
    permissions.require(_may_see_rules(user))
    errors: dict = {}
    if request.method == "POST":
        data = request.POST.dict()
        data["pace_aware"] = "pace_aware" in request.POST
        if not user.is_ops and not _scope_manageable(user, data):
            errors["scope_id"] = _("Managers create rules for their own team or one of its reps.")
        else:
            try:
                review_services.review_rule_create(data=data, user=user)
                messages.success(request, _("Review rule created."))
                return redirect("review_rules")
            except review_services.ReviewError as exc:
                errors = exc.errors
    rules = list(review_selectors.rules_visible_to(user))
    if wants_csv(request):
        return csv_response(
            "review_rules.csv",
            ["id", "kpi", "scope", "scope_id", "granularity", "threshold_pct", "pace_aware", "min_sample", "active"],
            [
                [
                    r.pk,
                    r.kpi_key,
                    r.scope,
                    r.scope_id or "",
                    r.granularity,
                    r.threshold_pct,
                    r.pace_aware,
                    r.min_sample,
                    r.is_active,
                ]
                for r in rules
            ],
        )
    subjects = review_selectors.rule_subject_labels(rules)
    last_changes = review_selectors.rule_last_changes(rules)
    manageable = _manageable_rule_ids(user, rules)
    return render(
        request,
        "kpi/review_rules.html",
        {
            "rows": [(r, subjects[r.pk], last_changes.get(r.pk), r.pk in manageable) for r in rules],
            "errors": errors,
            "error_list": _named(errors),
            "kpis": catalog.REGISTRY.values(),
            "teams": permissions.teams_visible_to(user),
            "reps": permissions.reps_visible_to(user),
            "form": request.POST if errors else {},
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def review_rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Threshold, minimum sample, pace-awareness and period of one rule; KPI and scope stay as created."""
    user = request.user
    rule = _rule_to_change(user, pk)
    errors: dict = {}
    if request.method == "POST":
        data = {**request.POST.dict(), "pace_aware": "pace_aware" in request.POST}
        try:
            review_services.review_rule_update(rule_id=rule.pk, data=data, user=user)
            messages.success(request, _("Review rule saved."))
            return redirect("review_rules")
        except review_services.ReviewError as exc:
            errors = exc.errors
    return render(
        request,
        "kpi/review_rule_edit.html",
        {
            "rule": rule,
            "subject": review_selectors.rule_subject_labels([rule])[rule.pk],
            "history": review_selectors.rule_history(rule),
            "errors": errors,
            "error_list": _named(errors),
            "form": request.POST if errors else {f: getattr(rule, f) for f in review_services.RULE_EDITABLE},
        },
    )


@require_POST
@login_required
def review_rule_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Switch a rule on (active=1) or off (active=0); saying what to set, not "toggle", makes a double
    submit harmless."""
    user = request.user
    rule = _rule_to_change(user, pk)
    active = request.POST.get("active")
    if active not in ("0", "1"):
        return HttpResponseBadRequest("active must be 0 or 1")
    review_services.review_rule_set_active(rule_id=rule.pk, active=active == "1", user=user)
    if active == "1":
        messages.success(request, _("Review rule activated."))
    else:
        messages.success(request, _("Review rule deactivated: it no longer fires; its open review items stay open."))
    if request.POST.get("next") == "edit":
        return redirect("review_rule_edit", pk=rule.pk)
    return redirect("review_rules")


def _named(errors: dict) -> list[tuple[str, str, str]]:
    """(field, its label, message): every error names the field it is about."""
    return [(field, review_selectors.RULE_FIELD_LABELS.get(field, field), message) for field, message in errors.items()]


# --- who may do what with review rules ------------------------------------------------------------


def _may_see_rules(user) -> bool:
    return user.is_ops or user.role == User.Role.MANAGER


def _scope_manageable(user, data: dict) -> bool:
    scope, raw = data.get("scope"), data.get("scope_id")
    if not raw or not str(raw).isdecimal():
        return False
    if scope == "team":
        return permissions.can_manage_team(user, int(raw))
    if scope == "rep":
        return permissions.reps_visible_to(user).filter(pk=int(raw)).exists()
    return False


def _rule_manageable(user, rule: ReviewRule) -> bool:
    return rule.pk in _manageable_rule_ids(user, [rule])


def _manageable_rule_ids(user, rules: list[ReviewRule]) -> set[int]:
    """The rules the user may edit, activate or deactivate: whoever may create them. Ops: any rule; a
    manager: rules on their own team or one of its reps; organisation-wide rules and rules for everyone
    in a scope are ops-only. The manager's teams and reps are read once (two queries whatever the rules
    and their scopes), so the rules list decides its buttons without a query per row."""
    if user.is_ops:
        return {rule.pk for rule in rules}
    if not _may_see_rules(user):
        return set()
    own = {
        "team": permissions.team_ids_managed_by(user),
        "rep": set(permissions.reps_visible_to(user).values_list("pk", flat=True)),
    }
    return {rule.pk for rule in rules if rule.scope_id is not None and rule.scope_id in own.get(rule.scope, ())}


def _rule_to_change(user, pk: int) -> ReviewRule:
    """404 when there is no such rule, 403 when the user may not change it."""
    permissions.require(_may_see_rules(user))
    rule = review_selectors.rules_visible_to(user).filter(pk=pk).first()
    if rule is None:
        raise Http404
    permissions.require(_rule_manageable(user, rule))
    return rule
