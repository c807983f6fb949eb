"""Saved column mappings: a one-off file layout named once on the imports page and picked at upload."""

from accounts.models import User

from ...models import ColumnMapping


def column_mapping_save(*, name: str, columns: dict[str, str], by: User) -> ColumnMapping:
    mapping, _created = ColumnMapping.objects.update_or_create(
        name=name, defaults={"columns": columns, "created_by": by}
    )
    return mapping
