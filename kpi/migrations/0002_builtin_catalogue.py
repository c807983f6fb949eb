"""Load the built-in KPI catalogue: one definition per key, version 1 approved at install.

Version 1 applies from 2000-01-01 so that all imported history is computed with it.
"""

from datetime import date

from django.db import migrations


def load(apps, schema_editor):
    from kpi import catalog
    from kpi.conditions import default_params

    KpiDefinition = apps.get_model("kpi", "KpiDefinition")
    DefinitionVersion = apps.get_model("kpi", "DefinitionVersion")
    DefinitionAuditEntry = apps.get_model("kpi", "DefinitionAuditEntry")
    for position, kpi in enumerate(catalog.REGISTRY.values()):
        definition, created = KpiDefinition.objects.get_or_create(
            key=kpi.key,
            defaults={
                "name_ja": kpi.name_ja,
                "name_en": kpi.name_en,
                "description_ja": kpi.formula_ja,
                "description_en": kpi.formula_en,
                "position": position,
            },
        )
        if not created:
            continue
        version = DefinitionVersion.objects.create(
            definition=definition,
            number=1,
            params=default_params(kpi.key),
            effective_from=date(2000, 1, 1),
            status="approved",
            reason="Built-in catalogue (DESIGN.md defaults)",
        )
        DefinitionAuditEntry.objects.create(
            definition=definition, version=version, action="installed", changes={"to": version.params}
        )


class Migration(migrations.Migration):
    dependencies = [("kpi", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
