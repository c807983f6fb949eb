"""python manage.py import_calls PATH [--source NAME] [--dry-run] [--mapping NAME]"""

import json as _json

from django.core.management.base import BaseCommand, CommandError

from kpi.models import ColumnMapping
from kpi.services.imports import calls_import
from kpi.services.imports.errors import reason_text


class Command(BaseCommand):
    help = "Import a call-log CSV (UTF-8, UTF-8 with BOM or Shift_JIS). A file with any bad row is refused whole."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--source", default="upload", help="where the rows come from (part of their identity)")
        parser.add_argument("--dry-run", action="store_true", help="validate and count, store nothing")
        parser.add_argument("--mapping", help="name of a saved column mapping")
        parser.add_argument("--json", action="store_true", help="print the result as one JSON object")

    def handle(self, *args, path, source, dry_run, mapping, **options):
        columns = None
        if mapping:
            found = ColumnMapping.objects.filter(name=mapping).first()
            if found is None:
                raise CommandError(f"no saved column mapping named {mapping!r}")
            columns = found.columns
        try:
            result = calls_import(path=path, source=source, dry_run=dry_run, mapping=columns)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(_json.dumps({**result.summary(), "errors": result.errors}, ensure_ascii=False))
        else:
            self._report(result)
        if result.refused:
            raise CommandError(f"refused: {result.bad_rows} bad row(s), nothing imported")

    def _report(self, result) -> None:
        if result.refused:
            for e in result.errors:
                self.stderr.write(
                    f"row {e['row']}: {e['column'] or '-'}: {reason_text(e['code'])} {e['value']}".rstrip()
                )
            if result.error_count > len(result.errors):
                self.stderr.write(f"... and {result.error_count - len(result.errors)} more")
            return
        for item in result.per_rep_day:
            self.stdout.write(
                f"{item['rep']}\t{item['day']}\t{item['rows']} rows\t{item['new']} new\t{item['present']} present"
            )
        verb = "would create" if result.dry_run else "created"
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} rows ({result.encoding}): {verb} {result.created}, {result.unchanged} already present"
            )
        )
