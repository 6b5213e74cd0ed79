from django.db import migrations

# Zones covering their whole commune are no longer listed in its atoms (analytics/services.py). Their piece is the
# commune's outline, which adds no border inside it, so the atoms' faces stay the same: taking the ids out of the
# lists (and dropping the atoms only such zones covered) gives exactly what a rebuild would, without one.
LEAVE_OUT_WHOLE_COMMUNE_ZONES = """
UPDATE analytics_coverageatom a SET zone_ids = ARRAY(
  SELECT listed.id FROM unnest(a.zone_ids) AS listed(id)
  WHERE NOT EXISTS (SELECT 1 FROM zones_zonecommune zc
                    WHERE zc.zone_id = listed.id AND zc.commune_id = a.commune_id AND zc.covers_commune)
  ORDER BY listed.id)
WHERE EXISTS (SELECT 1 FROM zones_zonecommune zc WHERE zc.commune_id = a.commune_id AND zc.covers_commune);
DELETE FROM analytics_coverageatom WHERE zone_ids = '{}';
"""


class Migration(migrations.Migration):

    dependencies = [
        ("analytics", "0001_initial"),
        ("zones", "0003_zone_piece_covers_commune"),
    ]

    operations = [migrations.RunSQL(LEAVE_OUT_WHOLE_COMMUNE_ZONES, migrations.RunSQL.noop)]
