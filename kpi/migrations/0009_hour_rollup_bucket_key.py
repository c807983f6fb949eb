"""Hour rollup rows keyed by their bucket (rep, date, hour): one index instead of four.

Django cannot alter a table's primary key into a composite one, so the table is recreated and its
rows carried over (they are derived data, but a heatmap should not go blank until the next rebuild).
Also leaves free space in rollup pages on PostgreSQL, so a refresh's in-place updates can stay on
the same page (heap-only updates write no index entry).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

COLUMNS = "rep_id, date, weekday, hour, calls, connects, effective_calls"
KEEP = f"CREATE TABLE kpi_hourrollup_keep AS SELECT {COLUMNS} FROM kpi_hourrollup"
RESTORE = (
    f"INSERT INTO kpi_hourrollup ({COLUMNS}) SELECT {COLUMNS} FROM kpi_hourrollup_keep ORDER BY rep_id, date, hour",
    "DROP TABLE kpi_hourrollup_keep",
)


def _fillfactor(value: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE kpi_rollup SET (fillfactor = {value})")

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("kpi", "0008_board_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(KEEP, reverse_sql=RESTORE),
        migrations.DeleteModel(name="HourRollup"),
        migrations.CreateModel(
            name="HourRollup",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "rep_id", "date", "hour", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("date", models.DateField()),
                ("weekday", models.PositiveSmallIntegerField()),
                ("hour", models.PositiveSmallIntegerField()),
                ("calls", models.IntegerField(default=0)),
                ("connects", models.IntegerField(default=0)),
                ("effective_calls", models.IntegerField(default=0)),
                (
                    "rep",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.RunSQL(RESTORE, reverse_sql=KEEP),
        migrations.RunPython(_fillfactor(90), _fillfactor(100)),
    ]
