"""Fewer indexes on the event tables: each costs every import and API batch its upkeep.

The rep foreign keys' own indexes duplicate the leading column of (rep, local_date); (rep,
started_at) served only the rep's five latest calls of today, which (rep, local_date) finds too.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kpi", "0009_hour_rollup_bucket_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="calllog",
            name="call_rep_started_at",
        ),
        migrations.AlterField(
            model_name="calllog",
            name="rep",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="calls",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="emailtouch",
            name="rep",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="emails",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="rep",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meetings_set",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
