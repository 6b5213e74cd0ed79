"""Keeps the coverage atoms fresh: all communes (rebuild) or only those a changed zone touches (incremental).

For each commune, the borders of the zone pieces inside it are noded and polygonised into faces; each face is
labelled with the zones that contain a point inside it. Faces no zone covers (holes) are dropped.
"""
from django.db import connection, transaction

ATOMS_SQL = """
WITH pieces AS (
  SELECT zc.commune_id, zc.zone_id, zc.geom
  FROM zones_zonecommune zc
  WHERE {where}
), noded AS (
  SELECT commune_id, ST_Union(ST_Boundary(geom)) AS lines FROM pieces GROUP BY commune_id
), polygonised AS (
  SELECT commune_id, ST_Polygonize(lines) AS collection FROM noded GROUP BY commune_id
), faces AS (
  SELECT p.commune_id, f.geom, row_number() OVER () AS face_id
  FROM polygonised p, LATERAL ST_Dump(p.collection) f
), labelled AS (
  -- A face belongs to a zone when most of the face lies inside the zone's piece. (A point-on-surface test is
  -- not enough: near-collinear zone and commune edges leave hair-thin faces whose "interior point" is a vertex.)
  SELECT f.face_id, f.commune_id, f.geom, array_agg(p.zone_id ORDER BY p.zone_id) AS zone_ids
  FROM faces f
  JOIN pieces p ON p.commune_id = f.commune_id AND p.geom && f.geom
   AND ST_Area(ST_Intersection(p.geom, f.geom)) > 0.5 * ST_Area(f.geom)
  GROUP BY f.face_id, f.commune_id, f.geom
)
INSERT INTO analytics_coverageatom (commune_id, zone_ids, area_km2, geom)
SELECT commune_id, zone_ids, musoya_area_km2(geom), ST_Multi(geom)
FROM labelled
WHERE musoya_area_km2(geom) > 1e-9
"""


@transaction.atomic
def coverage_atoms_rebuild() -> int:
    """Recomputes the atoms of every commune; returns how many atoms there are."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE analytics_coverageatom")
        cursor.execute(ATOMS_SQL.format(where="TRUE"))
        return cursor.rowcount


@transaction.atomic
def coverage_atoms_refresh(commune_ids) -> int:
    """Recomputes the atoms of the given communes only (those a created, changed or deleted zone touches)."""
    ids = sorted(set(commune_ids))
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM analytics_coverageatom WHERE commune_id = ANY(%s)", [ids])
        cursor.execute(ATOMS_SQL.format(where="zc.commune_id = ANY(%s)"), [ids])
        return cursor.rowcount
