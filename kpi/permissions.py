"""Who may see or change what in kpi: one loader per object, answering 404 or 403; rules on users and teams are in accounts/permissions.py."""  # noqa: E501

from django.shortcuts import get_object_or_404

from accounts import permissions
from accounts.models import User

from .models import ImportJob, Integration, Meeting


def import_job_for_user(user: User, pk: int, *, write: bool = False) -> ImportJob:
    """An import job: managers and ops see every job (imports are organisation-wide); write is the same."""
    job = get_object_or_404(ImportJob, pk=pk)
    permissions.require(permissions.can_import(user))
    return job


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
