"""KPI definitions as agreed contracts.

A version's parameters are data validated against a JSON schema. A new version is a draft until IS,
FS and marketing have each approved it; it then applies from its effective date, and the rollups
from that date on are rebuilt by a backfill task enqueued after commit. Days before keep the version
they were computed with.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import jsonschema
from django.db import transaction
from django.utils import timezone

from accounts import permissions
from accounts.models import User

from .. import catalog
from ..models import CallLog, DefinitionApproval, DefinitionAuditEntry, DefinitionVersion, KpiDefinition
from . import enqueue

REQUIRED_DEPARTMENTS = permissions.SIGNING_DEPARTMENTS
CADENCES = ("weekly", "monthly", "quarterly")

_COMMON = {
    "unit": {"enum": ["count", "percent", "per_hour", "jpy", "hours"]},
    "direction": {"enum": [catalog.HIGHER, catalog.LOWER]},
    "review_cadence": {"enum": list(CADENCES)},
}
_DURATION = {"type": "integer", "minimum": 0, "maximum": 86_400}
# Which call results (dispositions) count: a call must have one of these and last the threshold.
_RESULTS = {"type": "array", "items": {"enum": list(CallLog.Result.values)}, "minItems": 1, "uniqueItems": True}
# Per-KPI condition schemas; a KPI not listed takes no conditions.
_CONDITIONS = {
    "calls": {
        "directions": {"type": "array", "items": {"enum": ["outbound", "inbound"]}, "minItems": 1, "uniqueItems": True}
    },
    "connects": {"min_duration_seconds": _DURATION, "results": _RESULTS},
    "effective_calls": {"min_duration_seconds": _DURATION, "results": _RESULTS},
    "connectors": {"min_duration_seconds": _DURATION},
    "target_connects": {"include_email_replies": {"type": "boolean"}},
    "meetings": {
        "kinds": {"type": "array", "items": {"enum": ["first", "proposal"]}, "minItems": 1, "uniqueItems": True}
    },
}
# Conditions added after versions were first approved: a stored version without one reads the
# catalogue default (kpi/catalog.py), which is what those versions counted.
OPTIONAL_CONDITIONS = frozenset({"results"})


def condition(params: dict, key: str, name: str):
    """One condition of a version's params, or the catalogue default when the version predates it."""
    conditions = params.get("conditions", {})
    return conditions[name] if name in conditions else catalog.get(key).conditions[name]


def params_schema(key: str) -> dict:
    kpi = catalog.get(key)
    props = dict(_COMMON)
    required = ["unit", "direction", "review_cadence"]
    conditions = _CONDITIONS.get(key)
    if conditions:
        props["conditions"] = {
            "type": "object",
            "properties": conditions,
            "required": sorted(set(conditions) - OPTIONAL_CONDITIONS),
            "additionalProperties": False,
        }
        required.append("conditions")
    if kpi.denominator_choices:
        props["denominator"] = {"enum": list(kpi.denominator_choices)}
        required.append("denominator")
    return {"type": "object", "properties": props, "required": required, "additionalProperties": False}


def default_params(key: str) -> dict:
    kpi = catalog.get(key)
    params = {"unit": kpi.unit, "direction": kpi.direction, "review_cadence": "monthly"}
    if key in _CONDITIONS:
        params["conditions"] = dict(kpi.conditions)
    if kpi.denominator_choices:
        params["denominator"] = kpi.denominator[0]
    return params


class InvalidParams(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def validate_params(key: str, params: dict) -> None:
    validator = jsonschema.Draft202012Validator(params_schema(key))
    errors = [
        f"{'/'.join(str(p) for p in err.absolute_path) or '(root)'}: {err.message}"
        for err in sorted(validator.iter_errors(params), key=lambda e: list(e.absolute_path))
    ]
    if errors:
        raise InvalidParams(errors)


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


# Measures whose rollup SQL also applies another definition's conditions (kpi/services/rollups/conditions_sql.py):
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


# --- writing: drafts and approvals ------------------------------------------------------------


class ApprovalError(PermissionError):
    pass


@transaction.atomic
def definition_version_draft(
    *, key: str, params: dict, effective_from: date, reason: str, actor: User
) -> DefinitionVersion:
    if not permissions.can_draft_definitions(actor):
        raise ApprovalError("only managers, FS, marketing or ops can propose a definition")
    if key not in catalog.REGISTRY:
        raise InvalidParams([f"key: unknown KPI {key!r}"])
    validate_params(key, params)
    if not reason.strip():
        raise InvalidParams(["reason: say why the definition changes"])
    definition = KpiDefinition.objects.select_for_update().get(key=key)
    # One draft at a time keeps "the later-numbered version wins" equal to "the later-approved wins"
    # in approved_timeline(), and gives the three departments one proposal to sign.
    if definition.versions.filter(status=DefinitionVersion.Status.DRAFT).exists():
        raise InvalidParams([f"{key}: a draft is already waiting for approval; approve or reject it first"])
    current = (
        definition.versions.filter(status=DefinitionVersion.Status.APPROVED)
        .order_by("-effective_from", "-number")
        .first()
    )
    # An earlier date would slide a version under one already agreed and rewrite its history.
    if current is not None and effective_from < current.effective_from:
        raise InvalidParams(
            [f"effective_from: must be on or after {current.effective_from.isoformat()} (version {current.number})"]
        )
    number = (definition.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DefinitionVersion.objects.create(
        definition=definition,
        number=number,
        params=params,
        effective_from=effective_from,
        reason=reason,
        created_by=actor,
    )
    DefinitionAuditEntry.objects.create(
        definition=definition,
        version=version,
        action="drafted",
        actor=actor,
        changes={
            "from": current.params if current else None,
            "to": params,
            "effective_from": effective_from.isoformat(),
            "reason": reason,
        },
    )
    return version


@transaction.atomic
def definition_version_decide(*, version_id: int, actor: User, approve: bool, comment: str = "") -> DefinitionVersion:
    """Record one department's decision. The third approval activates the version and schedules the
    backfill; any rejection rejects the draft."""
    version = DefinitionVersion.objects.select_for_update().select_related("definition").get(pk=version_id)
    if not permissions.can_sign_definitions(actor):
        raise ApprovalError("only IS managers, FS and marketing approve definitions")
    if version.status != DefinitionVersion.Status.DRAFT:
        raise ApprovalError(f"version {version.number} is {version.status}, not a draft")
    department = actor.department_code
    if version.approvals.filter(department=department).exists():
        raise ApprovalError(f"{department} has already decided on version {version.number}")
    DefinitionApproval.objects.create(
        version=version,
        department=department,
        user=actor,
        comment=comment,
        decision=DefinitionApproval.Decision.APPROVE if approve else DefinitionApproval.Decision.REJECT,
    )
    DefinitionAuditEntry.objects.create(
        definition=version.definition,
        version=version,
        actor=actor,
        action="approved" if approve else "rejected",
        changes={"department": department, "comment": comment},
    )
    if not approve:
        version.status = DefinitionVersion.Status.REJECTED
        version.save(update_fields=["status"])
    elif set(version.approvals.values_list("department", flat=True)) >= set(REQUIRED_DEPARTMENTS):
        _activate(version)
    return version


def _activate(version: DefinitionVersion) -> None:
    version.status = DefinitionVersion.Status.APPROVED
    version.approved_at = timezone.now()
    version.save(update_fields=["status", "approved_at"])
    DefinitionAuditEntry.objects.create(
        definition=version.definition,
        version=version,
        action="activated",
        changes={"effective_from": version.effective_from.isoformat()},
    )
    enqueue.backfill_rollups(since=version.effective_from.isoformat())
