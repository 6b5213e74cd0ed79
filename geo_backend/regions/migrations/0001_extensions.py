from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm for spelling-tolerant name search (PostGIS itself is enabled by GeoDjango's backend)."""

    dependencies: list = []
    operations = [TrigramExtension()]
