from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """unaccent, for accent-insensitive search of organisation names (Ségou/Segou)."""

    dependencies = [("organisations", "0001_initial")]
    operations = [UnaccentExtension()]
