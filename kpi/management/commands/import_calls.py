"""python manage.py import_calls PATH [--profile NAME] [--source NAME] [--dry-run] [--json]"""

import json as _json

from django.core.management.base import BaseCommand, CommandError

from kpi.services.imports import calls_import
from kpi.services.imports.errors import reason_text
from kpi.services.imports.mappings import PRESETS, import_profile_named


class Command(BaseCommand):
    help = (
        "Import a call-log CSV (UTF-8, UTF-8 with BOM or Shift_JIS), as the import contract or through an import "
        f"profile (built in: {', '.join(PRESETS)}). A file with any bad row is refused whole."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--profile", help=f"import profile reading the source's own export ({', '.join(PRESETS)} or a saved one)"
        )
        parser.add_argument(
            "--source", help="where the rows come from (part of their identity); default: the profile's, else upload"
        )
        parser.add_argument("--dry-run", action="store_true", help="validate and count, store nothing")
        parser.add_argument("--mapping", help="a saved profile's header names only (older saved mappings)")
        parser.add_argument("--json", action="store_true", help="print the result as one JSON object")

    def handle(self, *args, path, source, dry_run, mapping, profile, **options):
        columns, found = None, None
        for name in (profile, mapping):
            if name and import_profile_named(name) is None:
                raise CommandError(f"no import profile named {name!r}")
        if profile:
            found = import_profile_named(profile)
        elif mapping:
            columns = import_profile_named(mapping).columns
        source = source or (found.source if found is not None and found.source else "upload")
        try:
            result = calls_import(path=path, source=source, dry_run=dry_run, mapping=columns, profile=found)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(_json.dumps({**result.summary(), "errors": result.errors}, ensure_ascii=False))
        else:
            self._report(result)
        if result.refused:
            raise CommandError(f"refused: {result.bad_rows} bad row(s), nothing imported")

    def _report(self, result) -> None:
        for warning in result.warning_counts:
            self.stderr.write(f"warning: {warning['count']} row(s): {reason_text(warning['code'])}")
        for w in result.warnings[:20]:
            self.stderr.write(f"  row {w['row']}: {w['column']}: {w['value']}")
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
