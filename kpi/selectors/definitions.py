"""Reads of KPI definitions: the approved timeline the numbers are computed with, the measures a KPI
depends on, and the KPI sheet's rows (shown by the page and the API alike). Drafting and approving
are in kpi/services/definitions.py; a version's parameters are described by kpi/conditions.py."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import Department, User

from .. import catalog
from ..conditions import condition as condition
from ..conditions import default_params as default_params
from ..conditions import describe_params
from ..models import DefinitionApproval, DefinitionAuditEntry, DefinitionVersion, KpiDefinition

# `condition` and `default_params` are read through this module by the rollups, with the timeline.

# The departments whose approvals make a version apply, with their names, in signing order.
DEPARTMENTS = [(code, Department.Code(code).label) for code in permissions.SIGNING_DEPARTMENTS]


# --- reading what applies ---------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    """The approved version of one definition in force over [start, end] (end None = open)."""

    key: str
    number: int
    params: dict
    start: date
    end: date | None


def approved_timeline() -> dict[str, list[Applied]]:
    """Every definition's approved versions as consecutive date ranges, oldest first."""
    rows = (
        DefinitionVersion.objects.filter(status=DefinitionVersion.Status.APPROVED)
        .select_related("definition")
        .order_by("definition__key", "effective_from", "number")
    )
    timeline: dict[str, list[Applied]] = {}
    for v in rows:
        spans = timeline.setdefault(v.definition.key, [])
        # A later-approved version with the same effective date replaces the earlier one.
        if spans and spans[-1].start == v.effective_from:
            spans.pop()
        if spans:
            prev = spans[-1]
            spans[-1] = Applied(prev.key, prev.number, prev.params, prev.start, v.effective_from - timedelta(days=1))
        spans.append(Applied(v.definition.key, v.number, v.params, v.effective_from, None))
    return timeline


def params_on(timeline: dict[str, list[Applied]], key: str, day: date) -> Applied | None:
    for span in reversed(timeline.get(key, [])):
        if span.start <= day:
            return span
    # Before the first approved version, the first one applies (history predates the contract).
    spans = timeline.get(key)
    return spans[0] if spans else None


def versions_in_range(timeline: dict[str, list[Applied]], keys: tuple[str, ...], start: date, end: date) -> dict:
    """{key: [version numbers]} of the versions that produced numbers in [start, end]."""
    used: dict[str, list[int]] = {}
    for key in keys:
        for span in timeline.get(key, []):
            first_span = span is timeline[key][0]
            if (span.end is None or span.end >= start) and (first_span or span.start <= end):
                used.setdefault(key, []).append(span.number)
    return used


# Measures whose rollup SQL also applies another definition's conditions (kpi/services/rollups/):
# every call measure counts only the directions `calls` counts, an effective call must first be a
# connect, and meeting outcomes count only the meeting kinds `meetings` counts.
UPSTREAM = {
    "connects": ("calls",),
    "target_connects": ("calls",),
    "target_attempts": ("calls",),
    "effective_calls": ("calls", "connects"),
    "follow_ups": ("calls",),
    "connectors": ("calls",),
    "qualified_meetings": ("meetings",),
    "orders": ("meetings",),
    "order_amount": ("meetings",),
}


def measure_keys_for(key: str, params: dict | None = None) -> tuple[str, ...]:
    """The definitions a KPI's number depends on: itself, the measures it divides, and theirs."""
    kpi = catalog.get(key)
    keys = [kpi.key, kpi.numerator]
    if kpi.kind == catalog.RATIO:
        keys.extend(denominator_for(kpi, params))
    for measure in list(keys[1:]):
        keys.extend(UPSTREAM.get(measure, ()))
    return tuple(dict.fromkeys(keys))


def denominator_for(kpi: catalog.Kpi, params: dict | None) -> tuple[str, ...]:
    if params and params.get("denominator"):
        return (params["denominator"],)
    return kpi.denominator


def params_in_force(*, key: str, as_of: date) -> tuple[Applied | None, dict]:
    """The approved version in force on `as_of` (None before any) and its params, or the defaults."""
    applied = params_on(approved_timeline(), key, as_of)
    return applied, (applied.params if applied else default_params(key))


# --- the KPI sheet ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sign:
    department: str
    label: str
    approval: DefinitionApproval | None


@dataclass(frozen=True)
class SheetRow:
    """One definition as the KPI sheet and the API show it."""

    definition: KpiDefinition
    spec: catalog.Kpi
    name: str  # in the active language
    formula: str
    current: DefinitionVersion | None  # the version in force on the sheet's date
    conditions: list[tuple[str, str]]  # the current version described (kpi/conditions.py)
    versions: list[DefinitionVersion]  # every version, oldest first, with their approvals
    draft: DefinitionVersion | None
    signs: list[Sign]
    can_decide_draft: bool
    audit: list[DefinitionAuditEntry] | None = None  # only for one definition's detail

    @property
    def key(self) -> str:
        return self.definition.key


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    action: str
    definition: KpiDefinition
    version: DefinitionVersion | None
    actor: User | None
    detail: str


def definitions_for_sheet(*, user: User, as_of: date) -> list[SheetRow]:
    """Every definition with its version in force on `as_of`, its draft and who has signed it."""
    return _rows(_definitions(), user=user, as_of=as_of)


def definition_for_sheet(*, user: User, key: str, as_of: date) -> SheetRow | None:
    """One definition's row with its change history; None when there is no such definition."""
    queryset = _definitions().filter(key=key).prefetch_related("audit__actor", "audit__version")
    rows = _rows(queryset, user=user, as_of=as_of, with_audit=True)
    return rows[0] if rows else None


def definition_history(*, limit: int = 200) -> list[HistoryLine]:
    """The latest changes of every definition, newest first, each with a readable detail."""
    entries = DefinitionAuditEntry.objects.select_related("definition", "actor", "version")[:limit]
    return [HistoryLine(e.at, e.action, e.definition, e.version, e.actor, audit_detail(e)) for e in entries]


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


def _definitions() -> QuerySet[KpiDefinition]:
    versions = DefinitionVersion.objects.select_related("created_by").prefetch_related(
        Prefetch("approvals", queryset=DefinitionApproval.objects.select_related("user"))
    )
    return KpiDefinition.objects.prefetch_related(Prefetch("versions", queryset=versions))


def _rows(queryset: QuerySet[KpiDefinition], *, user: User, as_of: date, with_audit: bool = False) -> list[SheetRow]:
    english = (get_language() or "ja").startswith("en")
    timeline = approved_timeline()
    may_sign = permissions.can_sign_definitions(user)
    rows = []
    for definition in queryset:
        spec = catalog.get(definition.key)
        versions = list(definition.versions.all())
        applied = params_on(timeline, definition.key, as_of)
        current = next((v for v in versions if applied and v.number == applied.number), None)
        draft = next((v for v in versions if v.status == DefinitionVersion.Status.DRAFT), None)
        decided = {a.department: a for a in draft.approvals.all()} if draft else {}
        rows.append(
            SheetRow(
                definition=definition,
                spec=spec,
                name=spec.name_en if english else spec.name_ja,
                formula=spec.formula_en if english else spec.formula_ja,
                current=current,
                conditions=describe_params(definition.key, current.params) if current else [],
                versions=versions,
                draft=draft,
                signs=[Sign(code, label, decided.get(code)) for code, label in DEPARTMENTS],
                can_decide_draft=bool(draft and may_sign and user.department_code not in decided),
                audit=list(definition.audit.all()) if with_audit else None,
            )
        )
    return rows
