"""Interventions' zones as Mapbox vector tiles (/tiles/zones/{z}/{x}/{y}.pbf, layer "zones") for GIS clients and
maps, built by ST_AsMVT from the same selectors as the API: the zones this person may see, each as they may see
it (exact, or the whole communes of a coarse intervention), with the same filters as /api/v1/zones/."""
from django.db import connection
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny

from geo_backend.api.helpers import audience
from geo_backend.api.views import ApiView
from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import Audience, precise_geometry_sql
from geo_backend.zones.api_serializers import intervention_filters
from geo_backend.zones.selectors import InterventionFilters, interventions_visible

from .api_serializers import InterventionSelectionParameters

MVT = "application/vnd.mapbox-vector-tile"


def zones_tile(audience: Audience, filters: InterventionFilters | None, *, z: int, x: int, y: int) -> bytes:
    if not (0 <= z <= 22 and 0 <= x < 2**z and 0 <= y < 2**z):
        raise DomainError("tile_out_of_range", "Tuile hors limites.", "Tile coordinates out of range.")
    ids_sql, ids_params = interventions_visible(audience, filters).order_by().values("id").query.sql_with_params()
    precise_sql, precise_params = precise_geometry_sql(audience, "i")
    sql = f"""
        WITH bounds AS (SELECT ST_TileEnvelope(%s, %s, %s) AS envelope),
        box AS (SELECT ST_Transform(envelope, 4326) AS wgs84 FROM bounds),
        shown AS (
          SELECT z.id, z.intervention_id, ({precise_sql}) AS precise, z.geom, z.coarse_geom
          FROM zones_zone z JOIN zones_intervention i ON i.id = z.intervention_id, box
          WHERE z.intervention_id IN ({ids_sql}) AND (z.geom && box.wgs84 OR z.coarse_geom && box.wgs84)
        ),
        features AS (
          SELECT s.id AS zone, s.intervention_id AS intervention, i.title, o.name AS organisation,
                 (SELECT string_agg(t.code, ' ' ORDER BY t.code) FROM zones_intervention_themes it
                  JOIN taxonomy_theme t ON t.id = it.theme_id WHERE it.intervention_id = i.id) AS themes,
                 CASE WHEN s.precise THEN 'exact' ELSE 'communes' END AS precision, i.is_demo,
                 ST_AsMVTGeom(ST_Transform(CASE WHEN s.precise THEN s.geom ELSE s.coarse_geom END, 3857),
                              bounds.envelope, 4096, 64, true) AS geom
          FROM shown s JOIN zones_intervention i ON i.id = s.intervention_id
          JOIN organisations_organisation o ON o.id = i.organisation_id, bounds
        )
        SELECT ST_AsMVT(features, 'zones', 4096, 'geom') FROM features WHERE geom IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [z, x, y, *precise_params, *ids_params])
        return bytes(cursor.fetchone()[0] or b"")


class ZoneTileView(ApiView):
    permission_classes = [AllowAny]
    query_serializer = InterventionSelectionParameters

    @extend_schema(operation_id="zones_tile", summary="Mapbox vector tile of the zones one may see (layer 'zones')",
                   responses={(200, MVT): OpenApiTypes.BINARY})
    def get(self, request, z, x, y):
        who = audience(request)
        response = HttpResponse(zones_tile(who, intervention_filters(self.params), z=z, x=x, y=y), content_type=MVT)
        # What a tile holds depends on who asks: shared caches must not keep a signed-in person's tile.
        response["Cache-Control"] = "public, max-age=300" if who.is_visitor else "private, max-age=60"
        response["Vary"] = "Cookie, Authorization"
        return response
