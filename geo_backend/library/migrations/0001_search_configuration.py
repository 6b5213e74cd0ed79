from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """musoya_fr: PostgreSQL's French full-text configuration with accents removed before stemming, so that
    "segou" finds "Ségou" and "violence" finds "violences"."""

    dependencies = [("organisations", "0002_unaccent")]
    operations = [
        UnaccentExtension(),
        migrations.RunSQL(
            sql="""
            CREATE TEXT SEARCH CONFIGURATION musoya_fr (COPY = pg_catalog.french);
            ALTER TEXT SEARCH CONFIGURATION musoya_fr
                ALTER MAPPING FOR hword, hword_part, word, asciihword, asciiword, hword_asciipart
                WITH unaccent, french_stem;
            """,
            reverse_sql="DROP TEXT SEARCH CONFIGURATION IF EXISTS musoya_fr;",
        ),
    ]
