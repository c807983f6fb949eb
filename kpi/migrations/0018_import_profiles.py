"""Saved column mappings become import profiles (their header names kept), jobs record the profile
they ran with, and reps get aliases (a phone system's own user id, extension or number)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kpi", "0017_call_duplicates_and_feed_alerts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("ColumnMapping", "ImportProfile"),
        migrations.RenameField("importjob", "mapping", "profile"),
        migrations.AlterModelOptions(
            name="importprofile",
            options={"ordering": ["name"]},
        ),
        migrations.AddField(
            model_name="importprofile",
            name="builtin",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name="importprofile",
            name="direction_values",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="importprofile",
            name="duration_unit",
            field=models.CharField(
                choices=[("seconds", "Seconds"), ("milliseconds", "Milliseconds")], default="seconds", max_length=16
            ),
        ),
        migrations.AddField(
            model_name="importprofile",
            name="id_from",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="importprofile",
            name="rep_lookup",
            field=models.CharField(
                choices=[
                    ("email", "Email"),
                    ("name", "Display name"),
                    ("alias", "Alias (user id, extension)"),
                ],
                default="email",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="importprofile",
            name="result_values",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="importprofile",
            name="skip_values",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="importprofile",
            name="source",
            field=models.SlugField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="importprofile",
            name="timezone",
            field=models.CharField(
                blank=True,
                choices=[("", "Values carry their offset"), ("Asia/Tokyo", "Asia/Tokyo (JST)"), ("UTC", "UTC")],
                default="Asia/Tokyo",
                max_length=32,
            ),
        ),
        migrations.AddField(
            model_name="importprofile",
            name="updated_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="status",
            field=models.CharField(
                choices=[
                    ("preview", "Preview"),
                    ("queued", "Queued"),
                    ("running", "Running"),
                    ("done", "Done"),
                    ("refused", "Refused"),
                    ("failed", "Failed"),
                ],
                default="queued",
                max_length=8,
            ),
        ),
        migrations.AlterField(
            model_name="importprofile",
            name="columns",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="importprofile",
            name="name",
            field=models.SlugField(max_length=100, unique=True),
        ),
        migrations.CreateModel(
            name="RepAlias",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("alias", models.CharField(max_length=128, unique=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="aliases", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["alias"],
            },
        ),
    ]
