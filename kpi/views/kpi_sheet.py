"""The KPI sheet: every definition with its formula, conditions, version in force, the draft in
progress with each department's decision, and the change history. Drafting and deciding go through
kpi/services/definitions.py, which enforces who may do what; the page only hides buttons."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions
from accounts.models import Department

from .. import catalog, periods
from ..forms.kpi_sheet import CONDITION_LABELS, DraftForm, kpi_label
from ..models import DefinitionApproval, DefinitionAuditEntry, DefinitionVersion, KpiDefinition
from ..services import definitions
from .csv_export import csv_response

DEPARTMENTS = [(code, Department.Code(code).label) for code in definitions.REQUIRED_DEPARTMENTS]


@dataclass(frozen=True)
class Sign:
    department: str
    label: str
    approval: DefinitionApproval | None


@dataclass(frozen=True)
class SheetRow:
    definition: KpiDefinition
    spec: catalog.Kpi
    name: str
    formula: str
    current: DefinitionVersion | None
    conditions: list[tuple[str, str]]
    draft: DefinitionVersion | None
    signs: list[Sign]
    can_decide_draft: bool


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


def describe_params(key: str, params: dict) -> list[tuple[str, str]]:
    """(label, value) pairs a person reads: the conditions, then the denominator, unit, direction, cadence."""
    from ..forms.kpi_sheet import CADENCE_CHOICES, DIRECTION_CHOICES, ENUM_LABELS, UNIT_CHOICES

    lines = []
    names = definitions.params_schema(key)["properties"].get("conditions", {}).get("properties", {})
    for name in names:
        value = definitions.condition(params, key, name)
        if name in ENUM_LABELS and set(value) >= {v for v, _label in ENUM_LABELS[name]}:
            text = _("All")
        elif name in ENUM_LABELS:
            labels = dict(ENUM_LABELS[name])
            text = ", ".join(str(labels.get(v, v)) for v in value)
        elif isinstance(value, bool):
            text = _("Yes") if value else _("No")
        elif name == "min_duration_seconds":
            text = _("%(n)s s") % {"n": value}
        else:
            text = str(value)
        lines.append((str(CONDITION_LABELS.get(name, name)), text))
    if params.get("denominator"):
        lines.append((_("Denominator"), kpi_label(params["denominator"])))
    for name, label, choices in (
        ("unit", _("Unit"), UNIT_CHOICES),
        ("direction", _("Direction"), DIRECTION_CHOICES),
        ("review_cadence", _("Review cadence"), CADENCE_CHOICES),
    ):
        if name in params:
            lines.append((label, str(dict(choices).get(params[name], params[name]))))
    return lines


def audit_detail(entry: DefinitionAuditEntry) -> str:
    """One readable line: the reason, the department's comment, what changed and from when."""
    changes, parts = entry.changes or {}, []
    if changes.get("department"):
        label = dict(DEPARTMENTS).get(changes["department"], changes["department"])
        parts.append(f"{label}: {changes['comment']}" if changes.get("comment") else str(label))
    if changes.get("reason"):
        parts.append(changes["reason"])
    before, after = changes.get("from"), changes.get("to")
    if before and after:
        old = dict(describe_params(entry.definition.key, before))
        for label, value in describe_params(entry.definition.key, after):
            if old.get(label) != value:
                parts.append(f"{label}: {old.get(label, '—')} → {value}")
    if changes.get("effective_from"):
        parts.append(_("effective %(date)s") % {"date": changes["effective_from"]})
    return " · ".join(parts)


def _sheet_rows(user) -> list[SheetRow]:
    versions = DefinitionVersion.objects.select_related("created_by").prefetch_related(
        Prefetch("approvals", queryset=DefinitionApproval.objects.select_related("user"))
    )
    timeline = definitions.approved_timeline()
    today = periods.local_date(timezone.now())
    rows = []
    for definition in KpiDefinition.objects.prefetch_related(Prefetch("versions", queryset=versions)):
        spec = catalog.get(definition.key)
        all_versions = list(definition.versions.all())
        by_number = {v.number: v for v in all_versions}
        applied = definitions.params_on(timeline, definition.key, today)
        current = by_number.get(applied.number) if applied else None
        draft = next((v for v in all_versions if v.status == DefinitionVersion.Status.DRAFT), None)
        decided = {a.department: a for a in draft.approvals.all()} if draft else {}
        rows.append(
            SheetRow(
                definition=definition,
                spec=spec,
                name=spec.name_en if _english() else spec.name_ja,
                formula=spec.formula_en if _english() else spec.formula_ja,
                current=current,
                conditions=describe_params(definition.key, current.params) if current else [],
                draft=draft,
                signs=[Sign(code, label, decided.get(code)) for code, label in DEPARTMENTS],
                can_decide_draft=bool(
                    draft and permissions.can_sign_definitions(user) and user.department_code not in decided
                ),
            )
        )
    return rows


@login_required
def kpi_sheet(request: HttpRequest) -> HttpResponse:
    rows = _sheet_rows(request.user)
    if request.GET.get("format") == "csv":
        return _sheet_csv(rows)
    history = list(DefinitionAuditEntry.objects.select_related("definition", "actor", "version")[:200])
    for entry in history:
        entry.detail = audit_detail(entry)
    return render(
        request,
        "kpi/kpi_sheet.html",
        {
            "rows": rows,
            "history": history,
            "can_draft": permissions.can_draft_definitions(request.user),
            "english": _english(),
            "printed_at": timezone.localtime(),
        },
    )


def _sheet_csv(rows: list[SheetRow]) -> HttpResponse:
    header = ["key", "name", "formula", "conditions", "version", "effective_from", "draft_version"]
    header += [f"{code}_approval" for code, _label in DEPARTMENTS]
    body = []
    for row in rows:
        signs = [
            f"{s.approval.decision} {s.approval.user} {timezone.localtime(s.approval.decided_at):%Y-%m-%d %H:%M}"
            if s.approval
            else ("pending" if row.draft else "")
            for s in row.signs
        ]
        body.append(
            [
                row.definition.key,
                row.name,
                row.formula,
                "; ".join(f"{label}: {value}" for label, value in row.conditions),
                row.current.number if row.current else "",
                row.current.effective_from.isoformat() if row.current else "",
                row.draft.number if row.draft else "",
                *signs,
            ]
        )
    return csv_response("kpi-sheet.csv", header, body)


@login_required
def kpi_draft(request: HttpRequest, key: str) -> HttpResponse:
    if key not in catalog.REGISTRY:
        raise Http404
    if not permissions.can_draft_definitions(request.user):
        messages.error(request, _("Only managers, FS, marketing and ops can propose a definition change."))
        return redirect("kpi_sheet")
    definition = get_object_or_404(KpiDefinition, key=key)
    timeline = definitions.approved_timeline()
    applied = definitions.params_on(timeline, key, periods.local_date(timezone.now()))
    current = applied.params if applied else definitions.default_params(key)
    form = DraftForm(request.POST or None, key=key, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            version = definitions.definition_version_draft(
                key=key,
                params=form.params(),
                effective_from=form.cleaned_data["effective_from"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except definitions.InvalidParams as exc:
            for error in exc.errors:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Version %(n)s of %(name)s is drafted and waits for IS, FS and marketing to approve.")
                % {"n": version.number, "name": kpi_label(key)},
            )
            return redirect(f"{reverse('kpi_sheet')}#kpi-{key}")
    return render(
        request,
        "kpi/kpi_sheet_draft.html",
        {
            "form": form,
            "definition": definition,
            "name": kpi_label(key),
            "current": applied,
            "current_lines": describe_params(key, current),
        },
    )


@require_POST
@login_required
def kpi_decide(request: HttpRequest, version_id: int) -> HttpResponse:
    version = get_object_or_404(DefinitionVersion.objects.select_related("definition"), pk=version_id)
    approve = request.POST.get("decision") == "approve"
    try:
        definitions.definition_version_decide(
            version_id=version.pk, actor=request.user, approve=approve, comment=request.POST.get("comment", "")
        )
    except definitions.ApprovalError as exc:
        messages.error(request, _("Not recorded: %(reason)s") % {"reason": exc})
    else:
        text = _("Approved version %(n)s of %(name)s.") if approve else _("Rejected version %(n)s of %(name)s.")
        messages.success(request, text % {"n": version.number, "name": kpi_label(version.definition.key)})
    return redirect(f"{reverse('kpi_sheet')}#kpi-{version.definition.key}")
