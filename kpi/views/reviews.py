"""Review items (list, detail with the PDCA trail, close) and review rules."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import permissions

from .. import catalog, periods
from .. import permissions as kpi_permissions
from ..errors import ApplicationError
from ..forms import form_fields
from ..forms.reviews import (
    RULE_EDITABLE,
    ReviewEntryForm,
    ReviewItemsFilterForm,
    ReviewRuleEditForm,
    ReviewRuleForm,
)
from ..selectors import heatmap
from ..selectors import reviews as review_selectors
from ..services import review_rules as rule_services
from ..services import reviews as review_services
from .csv_export import csv_response
from .params import wants_csv


@login_required
def review_items(request: HttpRequest) -> HttpResponse:
    user = request.user
    permissions.require(kpi_permissions.can_see_review_items(user))
    status = ReviewItemsFilterForm(request.GET)
    items = review_selectors.items_listed(user=user, status=status.status_value)
    rechecks = review_selectors.rechecks_due_for(user)
    labels = review_selectors.subject_labels(items + rechecks)
    if wants_csv(request):
        return _items_csv(items, labels)
    return render(
        request,
        "kpi/review_items.html",
        {
            "items": [(i, labels[i.pk]) for i in items],
            "rechecks": [(i, labels[i.pk]) for i in rechecks],
            "status": status.raw_status,
            "can_rules": kpi_permissions.can_see_review_rules(user),
        },
    )


def _items_csv(items: list, labels: dict) -> HttpResponse:
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


@login_required
def review_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = kpi_permissions.review_item_for_user(request.user, pk, write=request.method == "POST")
    errors: dict = {}
    if request.method == "POST":
        errors = _item_post(request, item)
        if not errors:
            return redirect("review_item", pk=item.pk)
    # The connect-rate hours over the item's month and the two before it.
    first = periods.month_start(item.as_of)
    for _month in range(2):  # 60 days back from March would overshoot into December
        first = periods.month_start(first - timedelta(days=1))
    _hours, cells = heatmap.connect_heatmap(rep_ids=review_selectors.item_rep_ids(item), first=first, last=item.as_of)
    checks = review_selectors.item_checks(item)
    return render(
        request,
        "kpi/review_item.html",
        {
            "item": item,
            "subject": review_selectors.subject_label(item),
            "entries": review_selectors.item_entries(item),
            "can_act": kpi_permissions.can_act_on_review_item(request.user, item),
            "errors": errors,
            "form": request.POST if errors else {},
            "hint": review_selectors.HINTS.get(item.hint, ""),
            "best_hours": heatmap.best_hours(cells),
            "is_rate": catalog.get(item.kpi_key).kind == catalog.RATIO,
            "latest_check": checks[-1] if checks else None,
            "trend": review_selectors.item_trend(item, checks) if checks else [],
            "recheck": review_selectors.item_recheck(item),
            "target_periods": _target_periods(item, request.POST.get("target_period") if errors else None),
        },
    )


def _target_periods(item, chosen: str | None) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of the periods a new target may set; the next period by default."""
    starts = review_selectors.target_periods(granularity=item.granularity, today=periods.today())
    chosen = chosen or starts[1].isoformat()
    return [
        (s.isoformat(), review_selectors.period_label(item.granularity, s), s.isoformat() == chosen) for s in starts
    ]


def _item_post(request: HttpRequest, item) -> dict:
    """Close the item or record an entry; {field: message} when refused, nothing written."""
    try:
        if request.POST.get("action") == "close":
            review_services.review_item_close(item=item, user=request.user, result=request.POST.get("result", ""))
            messages.success(request, _("Review item closed."))
            return {}
        form = ReviewEntryForm(request.POST, kpi_key=item.kpi_key)
        if not form.is_valid():
            return form_fields(form)
        data = dict(form.cleaned_data)
        review_services.review_entry_add(
            item=item, author=request.user, target_period_start=data.pop("target_period"), **data
        )
        messages.success(request, _("Entry recorded."))
        return {}
    except ApplicationError as exc:
        return exc.fields


@login_required
def review_rules(request: HttpRequest) -> HttpResponse:
    user = request.user
    permissions.require(kpi_permissions.can_see_review_rules(user))
    errors: dict = {}
    if request.method == "POST":
        errors = _rule_create(request)
        if not errors:
            messages.success(request, _("Review rule created."))
            return redirect("review_rules")
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
    manageable = kpi_permissions.review_rule_ids_manageable(user, rules)
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
    rule = kpi_permissions.review_rule_for_user(user, pk, write=True)
    errors: dict = {}
    if request.method == "POST":
        form = ReviewRuleEditForm({**request.POST.dict(), "pace_aware": "pace_aware" in request.POST})
        if form.is_valid():
            rule_services.review_rule_update(rule_id=rule.pk, user=user, **form.cleaned_data)
            messages.success(request, _("Review rule saved."))
            return redirect("review_rules")
        errors = form_fields(form)
    return render(
        request,
        "kpi/review_rule_edit.html",
        {
            "rule": rule,
            "subject": review_selectors.rule_subject_labels([rule])[rule.pk],
            "history": review_selectors.rule_history(rule),
            "errors": errors,
            "error_list": _named(errors),
            "form": request.POST if errors else {f: getattr(rule, f) for f in RULE_EDITABLE},
        },
    )


@require_POST
@login_required
def review_rule_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Switch a rule on (active=1) or off (active=0); saying what to set, not "toggle", makes a double
    submit harmless."""
    user = request.user
    rule = kpi_permissions.review_rule_for_user(user, pk, write=True)
    active = request.POST.get("active")
    if active not in ("0", "1"):
        return HttpResponseBadRequest("active must be 0 or 1")
    rule_services.review_rule_set_active(rule_id=rule.pk, active=active == "1", user=user)
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


def _rule_create(request: HttpRequest) -> dict:
    """Create the posted rule; {field: message} when refused, nothing written. A manager's rule must
    watch their own team or one of its reps."""
    posted = {**request.POST.dict(), "pace_aware": "pace_aware" in request.POST}
    scope, scope_id = posted.get("scope"), posted.get("scope_id")
    if not kpi_permissions.can_create_review_rule(request.user, scope=scope, scope_id=scope_id):
        return {"scope_id": _("Managers create rules for their own team or one of its reps.")}
    form = ReviewRuleForm(posted)
    if not form.is_valid():
        return form_fields(form)
    rule_services.review_rule_create(user=request.user, **form.cleaned_data)
    return {}
