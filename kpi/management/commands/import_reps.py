"""python manage.py import_reps PATH  (columns: email, name, team, role; optional workdays, work_hours, aliases)"""

from django.core.management.base import BaseCommand, CommandError

from kpi.services.imports.errors import reason_text
from kpi.services.imports.reps import reps_import


class Command(BaseCommand):
    help = (
        "Create or update users and teams from a CSV (email, name, team, role; optional workdays such as 01234, "
        "work_hours such as 7.5, and aliases: the rep's phone-system user ids, extensions or numbers, separated "
        "by ;). Any bad row, or a file demoting the last ops user, refuses the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            result = reps_import(path=path)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        if result.refused:
            for e in result.errors:
                self.stderr.write(
                    f"row {e['row']}: {e['column'] or '-'}: {reason_text(e['code'])} {e['value']}".rstrip()
                )
            raise CommandError(f"refused: {result.bad_rows} bad row(s), nothing imported")
        self.stdout.write(
            self.style.SUCCESS(f"{result.rows} rows: {result.created} created, {result.unchanged} updated")
        )
