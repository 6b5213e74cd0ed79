from django.contrib.postgres.operations import CreateExtension
from django.db import migrations


class Migration(migrations.Migration):
    """intarray (a PostgreSQL contrib extension, shipped with Debian's postgresql package and trusted: the database's
    owner may create it): the overlaps cut each coverage atom's zone list down to the selected zones with its `&`
    (analytics/overlaps.py)."""

    dependencies = [("analytics", "0002_atoms_leave_out_whole_commune_zones")]

    operations = [CreateExtension("intarray")]
