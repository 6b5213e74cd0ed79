from django.db import migrations

from geo_backend.taxonomy.reference import load_reference


def forwards(apps, schema_editor):
    load_reference(apps.get_model("taxonomy", "Theme"), apps.get_model("taxonomy", "ActionKind"),
                   apps.get_model("taxonomy", "TargetGroup"))


class Migration(migrations.Migration):
    """Loads the themes (OECD DAC / IATI codes), kinds of action and target groups of ../shared/DOMAIN.md."""

    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
