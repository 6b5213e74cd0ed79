"""The map's zones as Mapbox vector tiles (ST_AsMVT), under the zones API's visibility rules (selectors.py and
organisations/access/): what a tile holds, its fingerprint (the ETag) and its bytes, built once per fingerprint."""
import dataclasses

from django.core.cache import cache
from django.db import connection

from geo_backend.common.errors import DomainError
from geo_backend.organisations.access import Audience, precise_geometry_sql

from .selectors import InterventionFilters, interventions_visible, zone_place_clause

ZONE_TILE_LAYER = "zones"


def _zone_tile_sql(audience: Audience, filters: InterventionFilters | None, *, z: int, x: int, y: int
                   ) -> tuple[str, list]:
    """The CTEs `bounds` and `in_tile`: the zones this audience sees that meet tile z/x/y, each with the one shape
    it may be shown (`shape`: the exact zone, or its whole communes) and what the tile says of it."""
    if not (0 <= z <= 22 and 0 <= x < 2**z and 0 <= y < 2**z):
        raise DomainError("tile_out_of_range", "Tuile hors limites.", "Tile coordinates out of range.")
    # The tile is the box: a bbox filter would only repeat it.
    place_filters = dataclasses.replace(filters, bbox=None) if filters is not None else None
    ids_sql, ids_params = interventions_visible(audience, place_filters).order_by().values("id").query.sql_with_params()
    precise_sql, precise_params = precise_geometry_sql(audience, "i")
    zone_clause, zone_params = zone_place_clause(place_filters, precise_sql, precise_params)
    sql = f"""
        WITH bounds AS (SELECT ST_TileEnvelope(%s, %s, %s) AS envelope),
        visible AS (
          SELECT z.id, z.version, z.updated_at, z.geom, z.coarse_geom, i.id AS intervention, i.is_demo,
                 ({precise_sql}) AS precise,
                 (SELECT min(t.code) FROM zones_intervention_themes it JOIN taxonomy_theme t ON t.id = it.theme_id
                  WHERE it.intervention_id = i.id) AS theme
          FROM zones_zone z
          JOIN zones_intervention i ON i.id = z.intervention_id
          WHERE z.intervention_id IN ({ids_sql}){zone_clause}
        ),
        in_tile AS (
          SELECT v.id, v.version, v.updated_at, v.intervention, v.is_demo, v.precise, v.theme,
                 CASE WHEN v.precise THEN v.geom ELSE v.coarse_geom END AS shape
          FROM visible v, bounds
          WHERE (v.precise AND v.geom && ST_Transform(bounds.envelope, 4326))
             OR (NOT v.precise AND v.coarse_geom && ST_Transform(bounds.envelope, 4326))
        )"""
    return sql, [z, x, y, *precise_params, *ids_params, *zone_params]


def zone_tile_digest(audience: Audience, filters: InterventionFilters | None = None, *, z: int, x: int, y: int
                     ) -> str:
    """A fingerprint of what tile z/x/y holds for this audience: each zone it shows, with its version, its last
    change, the shape it is shown as and what the tile says of it. Any zone written, validated, hidden or made
    coarse changes it, so it serves as the tile's ETag without building the tile."""
    ctes, params = _zone_tile_sql(audience, filters, z=z, x=x, y=y)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""{ctes}
            SELECT md5(coalesce(string_agg(concat_ws(':', id, version, extract(epoch FROM updated_at), intervention,
                                                     is_demo, precise, theme), ',' ORDER BY id), ''))
            FROM in_tile""", params)
        return cursor.fetchone()[0]


# Up to this zoom (Mali fits the screen) a tile is drawn at twice a 256-pixel tile's resolution, not 4096 units:
# finer detail cannot show, and at 20,000 zones the central z5 tile was 1 MB on the wire.
LOW_ZOOM = 7
LOW_ZOOM_EXTENT, EXTENT = 512, 4096


def zone_tile(audience: Audience, filters: InterventionFilters | None = None, *, z: int, x: int, y: int) -> bytes:
    """A Mapbox vector tile (layer "zones") of the zones this audience sees, built by ST_AsMVT.

    Each feature carries its zone id (also the feature id), its intervention, its first theme (for the colour),
    "precision" (exact, or communes for a coarse zone shown as its whole communes) and is_demo; the popup asks
    the API for the rest. Someone not allowed a coarse zone's exact outline gets only its communes in the tile,
    and a restricted zone she may not read is not in it at all (the same rules as the zones API).

    Zones drawn as the same shape in the tile are one feature (a town picked whole by hundreds of organisations is
    one polygon): the properties of the lowest zone id, and `zones`, how many zones it stands for."""
    ctes, params = _zone_tile_sql(audience, filters, z=z, x=x, y=y)
    extent = LOW_ZOOM_EXTENT if z <= LOW_ZOOM else EXTENT
    with connection.cursor() as cursor:
        cursor.execute(
            f"""{ctes},
            features AS (
              SELECT t.id, t.intervention, coalesce(t.theme, '') AS theme, t.is_demo,
                     CASE WHEN t.precise THEN 'exact' ELSE 'communes' END AS precision,
                     ST_AsMVTGeom(ST_Transform(t.shape, 3857), bounds.envelope, %s, %s, true) AS geom
              FROM in_tile t, bounds
            ),
            shown AS (
              SELECT min(id) AS feature_id, min(id) AS zone, (array_agg(intervention ORDER BY id))[1] AS intervention,
                     (array_agg(theme ORDER BY id))[1] AS theme, is_demo, precision, count(*) AS zones, geom
              FROM features WHERE geom IS NOT NULL
              GROUP BY geom, precision, is_demo
            )
            SELECT ST_AsMVT(shown, %s, %s, 'geom', 'feature_id') FROM shown""",
            [*params, extent, extent // 64, ZONE_TILE_LAYER, extent])
        return bytes(cursor.fetchone()[0] or b"")


# Built tiles kept by what they hold. A tile's bytes follow from its place and the zone rows the digest covers (ids,
# versions, shown exactly or as communes, theme, demo), whoever asks: the next person whose tile has the same digest
# gets the same bytes without another build (the central z5 tile took 0.5 s of PostGIS at 20,000 zones). No rule
# is decided here: the digest is computed for the asker, with her visibility, before any lookup.
TILE_FORMAT = 2  # changes whenever zone_tile's output does, so an older build is never served
TILE_CACHE_SECONDS = 24 * 3600


def zone_tile_for_digest(audience: Audience, filters: InterventionFilters | None = None, *, z: int, x: int, y: int,
                         digest: str) -> bytes:
    """zone_tile(), built once per (place, digest) and kept in the cache."""
    key = f"zone-tile:v{TILE_FORMAT}:{z}/{x}/{y}:{digest}"
    tile = cache.get(key)
    if tile is None:
        tile = zone_tile(audience, filters, z=z, x=x, y=y)
        cache.set(key, tile, TILE_CACHE_SECONDS)
    return tile
