"""Each review item keeps the rule's threshold, minimum sample and pace setting as they were when it fired.

The item page used to rebuild them on every view by undoing the rule's later changes, read back from
django.contrib.admin's LogEntry. Existing items get them that way once, here; from now on they are
written with the item.
"""

import json
from decimal import Decimal

from django.db import migrations, models

FIELDS = ("threshold_pct", "min_sample", "pace_aware")
CHANGE = 2  # django.contrib.admin.models.CHANGE


def rule_as_fired(apps, schema_editor):
    ReviewItem = apps.get_model("kpi", "ReviewItem")
    LogEntry = apps.get_model("admin", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="kpi", model="reviewrule").first()
    for item in ReviewItem.objects.select_related("rule").iterator():
        then = {field: getattr(item.rule, field) for field in FIELDS}
        changes = (
            LogEntry.objects.filter(
                content_type=content_type,
                object_id=str(item.rule_id),
                action_flag=CHANGE,
                action_time__gt=item.opened_at,
            ).order_by("-action_time", "-pk")
            if content_type
            else []
        )
        for entry in changes:  # newest first: each undoes what came after the item opened
            try:
                changed = json.loads(entry.change_message)["changed"]
            except (ValueError, KeyError, TypeError):  # not written by the rule editor
                continue
            for field, (old, _new) in changed.items():
                if field in then:
                    then[field] = Decimal(old) if field == "threshold_pct" else old
        ReviewItem.objects.filter(pk=item.pk).update(**then)


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("kpi", "0012_rollup_period_rep_rows"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewitem",
            name="threshold_pct",
            field=models.DecimalField(decimal_places=1, max_digits=5, null=True),
        ),
        migrations.AddField(model_name="reviewitem", name="min_sample", field=models.PositiveIntegerField(null=True)),
        migrations.AddField(model_name="reviewitem", name="pace_aware", field=models.BooleanField(null=True)),
        migrations.RunPython(rule_as_fired, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reviewitem",
            name="threshold_pct",
            field=models.DecimalField(decimal_places=1, max_digits=5),
        ),
        migrations.AlterField(model_name="reviewitem", name="min_sample", field=models.PositiveIntegerField()),
        migrations.AlterField(model_name="reviewitem", name="pace_aware", field=models.BooleanField()),
    ]
