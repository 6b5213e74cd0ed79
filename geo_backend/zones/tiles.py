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


# Up to this zoom (Mali, a region or a cercle on the screen; Bamako is then a few pixels wide) a tile does not
# draw zone by zone: each theme's zones are merged where they touch, on a grid of one unit per pixel of a 256-pixel
# tile. At 20,000 zones the central z5 tile held 9,260 shapes (290 KB on the wire, seconds of drawing in the
# browser) that no one could tell apart or click one by one at that scale; merged it holds about 200. From z8
# (communes on the screen) each zone is its own feature again, on the full 4,096-unit grid.
MERGED_MAX_ZOOM = 7
MERGED_EXTENT, EXTENT = 256, 4096
EARTH_CIRCUMFERENCE_M = 40075016.686  # Web Mercator's width in metres


def zone_tile(audience: Audience, filters: InterventionFilters | None = None, *, z: int, x: int, y: int) -> bytes:
    """A Mapbox vector tile (layer "zones") of the zones this audience sees, built by ST_AsMVT: zone by zone from
    z8 (zone_features_sql), merged by theme up to z7 (merged_zones_sql).

    Someone not allowed a coarse zone's exact outline gets only its communes in the tile, and a restricted zone she
    may not read is not in it at all (the same rules as the zones API), merged or not: the tile is made only of
    the shapes `_zone_tile_sql` allows her."""
    ctes, params = _zone_tile_sql(audience, filters, z=z, x=x, y=y)
    if z <= MERGED_MAX_ZOOM:
        shown_sql, shown_params, extent, feature_id = merged_zones_sql(z)
    else:
        shown_sql, shown_params, extent, feature_id = zone_features_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"{ctes},{shown_sql} SELECT ST_AsMVT(shown, %s, %s, 'geom'{feature_id}) FROM shown",
                       [*params, *shown_params, ZONE_TILE_LAYER, extent])
        return bytes(cursor.fetchone()[0] or b"")


def zone_features_sql() -> tuple[str, list, int, str]:
    """The CTE `shown` of a zone-by-zone tile (from z8): each feature carries its zone id (also the feature id),
    its intervention, its first theme (for the colour), "precision" (exact, or communes for a coarse zone shown as
    its whole communes) and is_demo; the popup asks the API for the rest.

    Zones drawn as the same shape in the tile are one feature (a town picked whole by hundreds of organisations is
    one polygon): the properties of the lowest zone id, and `zones`, how many zones it stands for."""
    return f"""
        features AS (
          SELECT t.id, t.intervention, coalesce(t.theme, '') AS theme, t.is_demo,
                 CASE WHEN t.precise THEN 'exact' ELSE 'communes' END AS precision,
                 ST_AsMVTGeom(ST_Transform(t.shape, 3857), bounds.envelope, {EXTENT}, {EXTENT // 64}, true) AS geom
          FROM in_tile t, bounds
        ),
        shown AS (
          SELECT min(id) AS feature_id, min(id) AS zone, (array_agg(intervention ORDER BY id))[1] AS intervention,
                 (array_agg(theme ORDER BY id))[1] AS theme, is_demo, precision, count(*) AS zones, geom
          FROM features WHERE geom IS NOT NULL
          GROUP BY geom, precision, is_demo
        )""", [], EXTENT, ", 'feature_id'"


def merged_zones_sql(z: int) -> tuple[str, list, int, str]:
    """The CTE `shown` of a merged tile (up to MERGED_MAX_ZOOM): one feature per theme, precision and group of
    touching zones, with `zones`, how many zones it stands for; no zone id (it is no single zone).

    Each shape is first simplified to half a pixel (finer detail cannot show) and put on the pixel grid; a zone
    smaller than a pixel, which the grid would drop, is kept as a 2-pixel square on a point of it, so every zone
    still shows where it is. The shapes then merge on that integer grid (ST_Union with grid size 1: a valid
    outline on the grid)."""
    pixel_m = EARTH_CIRCUMFERENCE_M / 2**z / MERGED_EXTENT
    half_pixel_degrees = 360 / 2**z / MERGED_EXTENT / 2
    buffer = MERGED_EXTENT // 64
    return f"""
        marks AS (
          SELECT coalesce(t.theme, '') AS theme, CASE WHEN t.precise THEN 'exact' ELSE 'communes' END AS precision,
                 coalesce(
                   ST_AsMVTGeom(ST_Transform(ST_Simplify(t.shape, %s, true), 3857), bounds.envelope,
                                {MERGED_EXTENT}, {buffer}, true),
                   ST_AsMVTGeom(ST_Expand(ST_Transform(ST_PointOnSurface(t.shape), 3857), %s), bounds.envelope,
                                {MERGED_EXTENT}, {buffer}, true)) AS geom
          FROM in_tile t, bounds
        ),
        shapes AS (  -- the same mark once (a town picked whole by hundreds of organisations), with its zones
          SELECT theme, precision, geom, count(*) AS zones FROM marks WHERE geom IS NOT NULL
          GROUP BY theme, precision, geom
        ),
        grouped AS (
          SELECT *, ST_ClusterDBSCAN(geom, 0, 1) OVER (PARTITION BY theme, precision) AS touching FROM shapes
        ),
        shown AS (
          SELECT theme, precision, sum(zones)::integer AS zones, ST_Union(geom, 1.0) AS geom
          FROM grouped GROUP BY theme, precision, touching
        )""", [half_pixel_degrees, pixel_m], MERGED_EXTENT, ""


# Built tiles kept by what they hold. A tile's bytes follow from its place and the zone rows the digest covers (ids,
# versions, shown exactly or as communes, theme, demo), whoever asks: the next person whose tile has the same digest
# gets the same bytes without another build (the central z5 tile, merged, takes about 4 s of PostGIS at 20,000
# zones). No rule is decided here: the digest is computed for the asker, with her visibility, before any lookup.
TILE_FORMAT = 3  # changes whenever zone_tile's output does, so an older build is never served
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
