"""Who may see or change what in kpi: one loader per object, answering 404 or 403; rules on users and teams are in accounts/permissions.py."""  # noqa: E501

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import permissions
from accounts.models import User

from .models import DefinitionVersion, KpiDefinition


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
