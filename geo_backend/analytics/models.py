"""Coverage atoms: the overlay of the zones inside each commune, cut into pieces that no zone border crosses.

Each atom knows which zones cover it, among those that cover only part of the commune: a zone that covers the whole
commune is not listed (zones_zonecommune.covers_commune says so once), and the measuring queries count the commune
whole for it. Coverage, gaps and overlaps for any choice of themes, networks, funders,
period or audience then become sums of atom areas over the zones chosen: no geometry work at question time.
"""
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex

from geo_backend.regions.models import AdminUnit


class CoverageAtom(models.Model):
    commune = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="coverage_atoms")
    zone_ids = ArrayField(models.BigIntegerField())
    area_km2 = models.FloatField()
    geom = models.MultiPolygonField(srid=4326)

    class Meta:
        indexes = [GinIndex(fields=["zone_ids"], name="atom_zone_ids"), models.Index(fields=["commune"])]
