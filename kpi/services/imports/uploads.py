"""What the imports page writes: an uploaded file becomes a queued import job; a column mapping is saved."""

from django.core.files.uploadedfile import UploadedFile

from accounts.models import User

from ...models import ColumnMapping, ImportJob
from .jobs import import_job_enqueue


def import_job_create(
    *, kind: str, source: str, upload: UploadedFile, mapping: ColumnMapping | None, dry_run: bool, by: User
) -> ImportJob:
    job = ImportJob.objects.create(
        kind=kind,
        source=source,
        file=upload,
        original_name=upload.name[:255],
        mapping=mapping,
        dry_run=dry_run,
        created_by=by,
    )
    import_job_enqueue(job)
    return job


def column_mapping_save(*, name: str, columns: dict[str, str], by: User) -> ColumnMapping:
    mapping, _created = ColumnMapping.objects.update_or_create(
        name=name, defaults={"columns": columns, "created_by": by}
    )
    return mapping
