"""The KPI sheet: every definition with its formula, conditions, version in force, the draft in
progress with each department's decision, and the change history. The rows are read by
kpi/selectors/definitions.py (the API shows the same); drafting and deciding go through
kpi/services/definitions.py, which enforces who may do what; the page only hides buttons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions

from .. import periods
from ..conditions import describe_params, kpi_label
from ..errors import ApplicationError
from ..forms.kpi_sheet import DecisionForm, DraftForm
from ..permissions import definition_for_user, definition_version_for_user
from ..selectors import definitions as definition_reads
from ..selectors.definitions import DEPARTMENTS, SheetRow
from ..selectors.notices import backfills_approved_by
from ..services import definitions
from .csv_export import csv_response


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


@login_required
def kpi_sheet(request: HttpRequest) -> HttpResponse:
    today = periods.today()
    rows = definition_reads.definitions_for_sheet(user=request.user, as_of=today)
    if request.GET.get("format") == "csv":
        return _sheet_csv(rows)
    return render(
        request,
        "kpi/kpi_sheet.html",
        {
            "rows": rows,
            "history": definition_reads.definition_history(limit=200),
            "can_draft": permissions.can_draft_definitions(request.user),
            "english": _english(),
            "printed_at": timezone.localtime(),
            "backfills": backfills_approved_by(request.user),
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
    try:
        definition = definition_for_user(request.user, key, write=True)
    except PermissionDenied:
        messages.error(request, _("Only managers, FS, marketing and ops can propose a definition change."))
        return redirect("kpi_sheet")
    applied, current = definition_reads.params_in_force(key=key, as_of=periods.today())
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
        except ApplicationError as exc:
            # One line per parameter path, as the service words them ("conditions/results: ...").
            for line in [f"{path}: {text}" for path, text in exc.fields.items()] or [exc.message]:
                form.add_error(None, line)
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
    # Any signed-in person may post; the service refuses those who may not sign, with the reason.
    version = definition_version_for_user(request.user, version_id)
    form = DecisionForm(request.POST)
    anchor = f"{reverse('kpi_sheet')}#kpi-{version.definition.key}"
    if not form.is_valid():
        messages.error(request, _("Not recorded: %(reason)s") % {"reason": _("choose approve or reject")})
        return redirect(anchor)
    try:
        definitions.definition_version_decide(
            version_id=version.pk, actor=request.user, approve=form.approve(), comment=form.cleaned_data["comment"]
        )
    except ApplicationError as exc:
        messages.error(request, _("Not recorded: %(reason)s") % {"reason": exc})
    else:
        text = _("Approved version %(n)s of %(name)s.") if form.approve() else _("Rejected version %(n)s of %(name)s.")
        messages.success(request, text % {"n": version.number, "name": kpi_label(version.definition.key)})
    return redirect(anchor)
