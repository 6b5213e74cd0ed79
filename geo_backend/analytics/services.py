"""Keeps the coverage atoms fresh: all communes (rebuild) or only those a changed zone touches (incremental).

For each commune, the borders of the zone pieces inside it are noded and polygonised into faces; each face is
labelled with the zones that contain a point inside it. Faces no zone covers (holes) are dropped.
"""
import contextlib
import contextvars

from django.db import connection, transaction

# Inside coverage_atoms_deferred(), refreshes are collected and done once at the end (bulk loads, the demo).
_deferred: contextvars.ContextVar[set | None] = contextvars.ContextVar("coverage_atoms_deferred", default=None)

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
  SELECT p.commune_id, f.geom, row_number() OVER () AS face_id, ST_PointOnSurface(f.geom) AS inner_point
  FROM polygonised p, LATERAL ST_Dump(p.collection) f
), classified AS (
  -- A face's interior point is trusted when it lies clearly inside the face (1e-7° ≈ 1 cm from its border):
  -- noding may move borders by far less. Hair-thin faces (near-collinear zone and commune edges) are judged
  -- by area instead, since their "interior point" can sit on the border.
  SELECT *, ST_Distance(inner_point, ST_Boundary(geom)) > 1e-7 AND ST_Contains(geom, inner_point) AS fat
  FROM faces
), labelled AS (
  SELECT f.face_id, f.commune_id, f.geom, array_agg(p.zone_id ORDER BY p.zone_id) AS zone_ids
  FROM classified f
  JOIN pieces p ON p.commune_id = f.commune_id AND p.geom && f.geom
   AND CASE WHEN f.fat THEN ST_Intersects(p.geom, f.inner_point)
            ELSE ST_Area(ST_Intersection(p.geom, f.geom)) > 0.5 * ST_Area(f.geom) END
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


@contextlib.contextmanager
def coverage_atoms_deferred():
    """Collects the communes to refresh while many zones are written, then refreshes each of them once."""
    pending: set = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    coverage_atoms_refresh(pending)


@transaction.atomic
def coverage_atoms_refresh(commune_ids) -> int:
    """Recomputes the atoms of the given communes only (those a created, changed or deleted zone touches)."""
    ids = sorted(set(commune_ids))
    pending = _deferred.get()
    if pending is not None:
        pending.update(ids)
        return 0
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM analytics_coverageatom WHERE commune_id = ANY(%s)", [ids])
        cursor.execute(ATOMS_SQL.format(where="zc.commune_id = ANY(%s)"), [ids])
        return cursor.rowcount
