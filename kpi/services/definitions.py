"""KPI definitions as agreed contracts: drafting a version and each department's decision.

A version's parameters are data validated against a JSON schema (kpi/conditions.py). A new version
is a draft until IS, FS and marketing have each approved it; it then applies from its effective
date, and the rollups from that date on are rebuilt by a backfill task enqueued after commit. Days
before keep the version they were computed with. Reads are in kpi/selectors/definitions.py.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts import permissions
from accounts.models import User

from .. import catalog
from ..conditions import validate_params
from ..errors import ApplicationError
from ..models import DefinitionApproval, DefinitionAuditEntry, DefinitionVersion, KpiDefinition
from . import enqueue

REQUIRED_DEPARTMENTS = permissions.SIGNING_DEPARTMENTS


def _refused(message: str) -> ApplicationError:
    """An approval or proposal the actor may not make (403)."""
    return ApplicationError(message, status=403)


def _invalid(field: str, message: str) -> ApplicationError:
    return ApplicationError(f"{field}: {message}", fields={field: message})


@transaction.atomic
def definition_version_draft(
    *, key: str, params: dict, effective_from: date, reason: str, actor: User
) -> DefinitionVersion:
    if not permissions.can_draft_definitions(actor):
        raise _refused("only managers, FS, marketing or ops can propose a definition")
    if key not in catalog.REGISTRY:
        raise _invalid("key", f"unknown KPI {key!r}")
    validate_params(key, params)
    if not reason.strip():
        raise _invalid("reason", "say why the definition changes")
    definition = KpiDefinition.objects.select_for_update().get(key=key)
    # One draft at a time keeps "the later-numbered version wins" equal to "the later-approved wins"
    # in approved_timeline(), and gives the three departments one proposal to sign.
    if definition.versions.filter(status=DefinitionVersion.Status.DRAFT).exists():
        raise _invalid(key, "a draft is already waiting for approval; approve or reject it first")
    current = (
        definition.versions.filter(status=DefinitionVersion.Status.APPROVED)
        .order_by("-effective_from", "-number")
        .first()
    )
    # An earlier date would slide a version under one already agreed and rewrite its history.
    if current is not None and effective_from < current.effective_from:
        raise _invalid(
            "effective_from", f"must be on or after {current.effective_from.isoformat()} (version {current.number})"
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
        raise _refused("only IS managers, FS and marketing approve definitions")
    if version.status != DefinitionVersion.Status.DRAFT:
        raise _refused(f"version {version.number} is {version.status}, not a draft")
    department = actor.department_code
    if version.approvals.filter(department=department).exists():
        raise _refused(f"{department} has already decided on version {version.number}")
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
