from django.db import migrations

DEPARTMENTS = [
    ("is", "インサイドセールス"),
    ("fs", "フィールドセールス"),
    ("marketing", "マーケティング"),
    ("ops", "運用管理"),
]


def create(apps, schema_editor):
    Department = apps.get_model("accounts", "Department")
    for code, name in DEPARTMENTS:
        Department.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
