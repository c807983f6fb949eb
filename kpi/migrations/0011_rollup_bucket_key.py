"""Rollup rows keyed by their bucket (granularity, scope, scope id, period start).

The surrogate id was never read: every reader and every upsert goes through the bucket, which had
its own unique constraint. Keying by the bucket drops one index, so each insert now updates two
indexes instead of three. It also leaves the table without a sequence, so a full rebuild can load a
fresh copy of the table and swap it in.

As in 0009, Django cannot alter a primary key into a composite one: the table is recreated and its
rows carried over in both directions.

Pages are also filled only half (fillfactor 50, was 90). Rows are written in period order, so a
refresh of one day updates every row on a few dozen pages; at 90 only a third of those updates fit
on their page, and each of the others wrote a new row version elsewhere plus an entry in both
indexes. At 50 every one is a heap-only update (bench, 1,000 reps x 520 days: 29,428 of 29,428,
against 10,710; refresh median about 256 -> 223 ms), for a table of 174 MB instead of 100 MB.
"""

from decimal import Decimal

from django.db import migrations, models

MEASURES = (
    "calls, connects, target_connects, target_attempts, effective_calls, follow_ups, connectors, emails_sent,"
    " emails_delivered, emails_opened, meetings, qualified_meetings, permissions, orders, order_amount, work_hours"
)
COLUMNS = f"granularity, scope, scope_id, period_start, {MEASURES}, computed_at"
KEEP = f"CREATE TABLE kpi_rollup_keep AS SELECT {COLUMNS} FROM kpi_rollup"
RESTORE = (
    f"INSERT INTO kpi_rollup ({COLUMNS}) SELECT {COLUMNS} FROM kpi_rollup_keep"
    " ORDER BY granularity, scope, period_start, scope_id",
    "DROP TABLE kpi_rollup_keep",
)

GRANULARITIES = [("day", "Day"), ("week", "Week"), ("month", "Month"), ("quarter", "Quarter")]
SCOPES = [("rep", "Rep"), ("team", "Team"), ("org", "Organisation")]


def _fillfactor(value: int):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE kpi_rollup SET (fillfactor = {value})")

    return apply


def _measure(decimal: tuple[int, int] | None = None):
    if decimal:
        return models.DecimalField(max_digits=decimal[0], decimal_places=decimal[1], default=Decimal(0))
    return models.IntegerField(default=0)


class Migration(migrations.Migration):
    dependencies = [("kpi", "0010_event_rep_indexes")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, _fillfactor(90)),  # undone last: 0009's setting
        migrations.RunSQL(KEEP, reverse_sql=RESTORE),
        migrations.DeleteModel(name="Rollup"),
        migrations.CreateModel(
            name="Rollup",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "granularity",
                        "scope",
                        "scope_id",
                        "period_start",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("granularity", models.CharField(choices=GRANULARITIES, max_length=8)),
                ("scope", models.CharField(choices=SCOPES, max_length=4)),
                ("scope_id", models.BigIntegerField()),
                ("period_start", models.DateField()),
                ("calls", _measure()),
                ("connects", _measure()),
                ("target_connects", _measure()),
                ("target_attempts", _measure()),
                ("effective_calls", _measure()),
                ("follow_ups", _measure()),
                ("connectors", _measure()),
                ("emails_sent", _measure()),
                ("emails_delivered", _measure()),
                ("emails_opened", _measure()),
                ("meetings", _measure()),
                ("qualified_meetings", _measure()),
                ("permissions", _measure()),
                ("orders", _measure()),
                ("order_amount", _measure((16, 0))),
                ("work_hours", _measure((10, 2))),
                ("computed_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "indexes": [models.Index(fields=["granularity", "scope", "period_start"], name="rollup_period")],
            },
        ),
        migrations.RunSQL(RESTORE, reverse_sql=KEEP),
        migrations.RunPython(_fillfactor(50), migrations.RunPython.noop),
    ]
