"""What the imports page reads: the history of jobs (newest first, the model's order) and the mappings."""

from django.db.models import QuerySet

from ..models import ColumnMapping, ImportJob


def import_jobs() -> QuerySet[ImportJob]:
    return ImportJob.objects.all()


def column_mappings() -> QuerySet[ColumnMapping]:
    return ColumnMapping.objects.all()
