"""What the imports page reads: the history of jobs the user may see (newest first) and the profiles."""

from django.db.models import QuerySet

from accounts.models import User

from .. import permissions as kpi_permissions
from ..models import ImportJob, ImportProfile


def import_jobs(user: User) -> QuerySet[ImportJob]:
    return kpi_permissions.import_jobs_visible_to(user).select_related("profile")


def import_profiles() -> QuerySet[ImportProfile]:
    return ImportProfile.objects.all()
