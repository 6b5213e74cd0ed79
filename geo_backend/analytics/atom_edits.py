"""One zone's change applied to the coverage atoms in place, instead of rebuilding its communes' atoms.

Rebuilding a commune nodes every partial piece inside it and labels every face: in a dense commune (Bamako at 20,000
zones, 200 distinct piece shapes, 8,000+ atoms) that took seconds for a one-zone edit. An atom does not have to be a
maximal face; it only has to lie wholly inside or wholly outside each zone of the commune, with its area. So:

- deleting zones takes their ids out of the atoms' lists, drops the atoms left with no zone, and merges the atoms of
  one commune that now have the same list (the border that separated them was the deleted zone's);
- placing a created or reshaped zone judges each atom it lists or its new piece reaches: inside, the atom keeps or
  gets the zone; outside, it loses it; crossed by the piece's border, it is cut in two (inside with the zone, outside
  without). The part of the piece that no other piece covers becomes a new atom. A zone moved a little changes only
  the atoms along its old and new borders.

Both keep the sums exact: every cut keeps both parts, and the new part is the piece minus the union of the
commune's other partial pieces, which the atoms cover exactly (the atoms only the zone covered are dropped first, so
that the new part does not count them twice). Parts under ATOM_MIN_KM2 are dropped, as in the rebuild.

The locks are those of services.py (the same advisory lock per commune, in id order), and inside
coverage_atoms_deferred() nothing is done in place: the communes are collected for one rebuild. Should GEOS fail on a
degenerate shape, the communes are rebuilt from their pieces instead (services.coverage_atoms_refresh).
"""
import logging
from collections.abc import Iterable

from django.db import InternalError, connection, transaction

from .budget import bound_statements
from .services import ATOM_MIN_KM2, coverage_atoms_refresh, deferring, lock_communes

logger = logging.getLogger(__name__)

# The zones' ids taken out of the atoms of the given communes; the atoms left with none are dropped.
_REMOVE_SQL = """
CREATE TEMPORARY TABLE atom_sets_changed ON COMMIT DROP AS
WITH changed AS (
  UPDATE analytics_coverageatom
  SET zone_ids = ARRAY(SELECT z FROM unnest(zone_ids) z WHERE z <> ALL(%(zones)s::bigint[]) ORDER BY z)
  WHERE commune_id = ANY(%(communes)s) AND zone_ids && %(zones)s::bigint[]
  RETURNING commune_id, zone_ids
)
SELECT DISTINCT commune_id, zone_ids FROM changed WHERE zone_ids <> '{}';
DELETE FROM analytics_coverageatom WHERE commune_id = ANY(%(communes)s) AND zone_ids = '{}';
"""

# The atoms of one commune that now have the same list become one (a multipolygon when they do not touch).
_MERGE_SQL = """
WITH merged AS MATERIALIZED (
  SELECT a.commune_id, a.zone_ids, array_agg(a.id) AS ids, ST_Multi(ST_CollectionExtract(ST_Union(a.geom), 3)) AS geom
  FROM atom_sets_changed s
  JOIN analytics_coverageatom a ON a.commune_id = s.commune_id AND a.zone_ids = s.zone_ids
  WHERE a.commune_id = ANY(%(communes)s)
  GROUP BY a.commune_id, a.zone_ids HAVING count(*) > 1
), gone AS (
  DELETE FROM analytics_coverageatom a USING merged m WHERE a.id = ANY(m.ids)
)
INSERT INTO analytics_coverageatom (commune_id, zone_ids, area_km2, geom)
SELECT commune_id, zone_ids, musoya_area_km2(geom), geom FROM merged;
DROP TABLE atom_sets_changed;
"""

# The zone's partial pieces in the given communes (at most one per commune).
_PIECES = """
  SELECT commune_id, geom FROM zones_zonecommune
  WHERE zone_id = %(zone)s AND commune_id = ANY(%(communes)s) AND NOT covers_commune
"""

# Placing a zone (created, or reshaped: some atoms list it already). Its atoms that no other zone covers go first:
# the new part below makes them again from its new shape. Then every atom the zone lists or its new piece reaches is
# judged against that piece:
#   inside:  keeps the zone, or gets it;
#   outside: loses the zone (a reshaped zone that left), or is left alone (a neighbour barely touched);
#   crossed: cut in two, the part inside with the zone, the part outside without.
# A part under ATOM_MIN_KM2 does not count as a cut: the atom is judged inside or outside whole. A reshaped zone that
# moved a little changes only the atoms along its old and new borders.
_JUDGE_SQL = f"""
DELETE FROM analytics_coverageatom WHERE commune_id = ANY(%(communes)s) AND zone_ids = ARRAY[%(zone)s::bigint];
CREATE TEMPORARY TABLE atom_judged ON COMMIT DROP AS
WITH piece AS MATERIALIZED ({_PIECES}),
reached AS MATERIALIZED (
  SELECT a.id, a.commune_id, a.zone_ids, a.geom, true AS listed, p.geom AS piece
  FROM analytics_coverageatom a LEFT JOIN piece p USING (commune_id)
  WHERE a.commune_id = ANY(%(communes)s) AND a.zone_ids && ARRAY[%(zone)s::bigint]
  UNION ALL
  SELECT a.id, a.commune_id, a.zone_ids, a.geom, false, p.geom
  FROM piece p
  CROSS JOIN LATERAL (
    SELECT a.* FROM analytics_coverageatom a
    WHERE a.commune_id = p.commune_id AND ST_Intersects(p.geom, a.geom)
          AND NOT a.zone_ids && ARRAY[%(zone)s::bigint]
    OFFSET 0  -- the piece drives the join: one prepared shape against the atoms its box finds
  ) a
), related AS MATERIALIZED (
  SELECT r.*, CASE WHEN r.piece IS NULL OR NOT ST_Intersects(r.piece, r.geom) THEN 'outside'
                   WHEN ST_Covers(r.piece, r.geom) THEN 'inside' ELSE 'crossed' END AS relation
  FROM reached r
), cut AS MATERIALIZED (
  SELECT r.id, i.geom AS inner_geom, i.km2 AS inner_km2, o.geom AS outer_geom, o.km2 AS outer_km2
  FROM related r,
       LATERAL (SELECT geom, musoya_area_km2(geom) AS km2
                FROM ST_CollectionExtract(ST_Intersection(r.geom, r.piece), 3) AS geom) i,
       LATERAL (SELECT geom, musoya_area_km2(geom) AS km2
                FROM ST_CollectionExtract(ST_Difference(r.geom, r.piece), 3) AS geom) o
  WHERE r.relation = 'crossed'
)
SELECT j.*,
       -- (the lists only where they change: most atoms of a reshaped zone stay inside it)
       CASE WHEN j.relation = 'crossed' OR (j.relation = 'inside' AND NOT j.listed)
            THEN ARRAY(SELECT z FROM unnest(j.zone_ids || %(zone)s::bigint) z GROUP BY z ORDER BY z) END AS zones_with,
       CASE WHEN j.relation = 'crossed' OR (j.relation = 'outside' AND j.listed)
            THEN ARRAY(SELECT z FROM unnest(j.zone_ids) z WHERE z <> %(zone)s ORDER BY z) END AS zones_without
FROM (
  SELECT r.id, r.commune_id, r.listed, r.zone_ids,
         CASE WHEN r.relation <> 'crossed' THEN r.relation
              WHEN c.inner_km2 <= {ATOM_MIN_KM2} THEN 'outside'
              WHEN c.outer_km2 <= {ATOM_MIN_KM2} THEN 'inside' ELSE 'crossed' END AS relation,
         c.inner_geom, c.inner_km2, c.outer_geom, c.outer_km2
  FROM related r LEFT JOIN cut c USING (id)
) j;
"""

# The judgement applied; the lists of zones that changed are noted for the merge.
_APPLY_SQL = """
CREATE TEMPORARY TABLE atom_sets_changed ON COMMIT DROP AS
WITH gained AS (
  UPDATE analytics_coverageatom a SET zone_ids = j.zones_with FROM atom_judged j
  WHERE a.id = j.id AND j.relation = 'inside' AND NOT j.listed
  RETURNING a.commune_id, a.zone_ids
), lost AS (
  UPDATE analytics_coverageatom a SET zone_ids = j.zones_without FROM atom_judged j
  WHERE a.id = j.id AND j.relation = 'outside' AND j.listed
  RETURNING a.commune_id, a.zone_ids
), gone AS (
  DELETE FROM analytics_coverageatom a USING atom_judged j WHERE a.id = j.id AND j.relation = 'crossed'
), parts AS (
  INSERT INTO analytics_coverageatom (commune_id, zone_ids, area_km2, geom)
  SELECT commune_id, zones_with, inner_km2, ST_Multi(inner_geom) FROM atom_judged WHERE relation = 'crossed'
  UNION ALL
  SELECT commune_id, zones_without, outer_km2, ST_Multi(outer_geom) FROM atom_judged WHERE relation = 'crossed'
  RETURNING commune_id, zone_ids
)
SELECT DISTINCT commune_id, zone_ids FROM (
  SELECT * FROM gained UNION ALL SELECT * FROM lost UNION ALL SELECT * FROM parts) changed;
DROP TABLE atom_judged;
"""

# The part of the piece that no other partial piece of its commune covers: a new atom of this zone alone. The atoms
# now listing the zone cover exactly the rest of the piece, so when their area is the piece's (to measuring noise,
# NEW_PART_NOISE of it), there is no such part and the union of the other pieces is not computed: in a dense commune,
# covered all over, that union was a third of an edit's time.
NEW_PART_NOISE = 1e-6
_NEW_PART_SQL = f"""
WITH piece AS MATERIALIZED (
  SELECT p.commune_id, p.geom FROM zones_zonecommune p
  WHERE p.zone_id = %(zone)s AND p.commune_id = ANY(%(communes)s) AND NOT p.covers_commune
    AND p.area_km2 - coalesce((SELECT sum(a.area_km2) FROM analytics_coverageatom a
                               WHERE a.commune_id = p.commune_id AND a.zone_ids @> ARRAY[%(zone)s::bigint]), 0)
        > {NEW_PART_NOISE} * p.area_km2 + {ATOM_MIN_KM2}
),
others AS (
  SELECT p.commune_id, ST_Union(o.geom) AS geom
  FROM piece p
  CROSS JOIN LATERAL (
    -- each distinct shape once (the same drawing imported twice adds nothing to the union)
    SELECT DISTINCT ON (md5(ST_AsBinary(o.geom))) o.geom FROM zones_zonecommune o
    WHERE o.commune_id = p.commune_id AND NOT o.covers_commune AND o.zone_id <> %(zone)s
          AND ST_Intersects(p.geom, o.geom)
  ) o
  GROUP BY p.commune_id
), rest AS (
  SELECT p.commune_id, ST_CollectionExtract(coalesce(ST_Difference(p.geom, o.geom), p.geom), 3) AS geom
  FROM piece p LEFT JOIN others o USING (commune_id)
)
INSERT INTO analytics_coverageatom (commune_id, zone_ids, area_km2, geom)
SELECT commune_id, ARRAY[%(zone)s::bigint], area_km2, ST_Multi(geom)
FROM rest, LATERAL (SELECT musoya_area_km2(geom) AS area_km2) a
WHERE area_km2 > {ATOM_MIN_KM2}
"""


def _in_place(commune_ids: list[int], apply) -> None:
    """Runs apply(cursor) under the communes' locks; rebuilds the communes instead should GEOS fail on a shape."""
    with connection.cursor() as cursor:
        bound_statements(cursor)
        lock_communes(cursor, commune_ids)
        try:
            with transaction.atomic():
                apply(cursor)
        except InternalError as error:  # a GEOS topology error: the rebuild from the pieces does not use the atoms
            logger.warning("coverage atoms: edit in place refused by GEOS (%s); communes %s rebuilt instead",
                           str(error).splitlines()[0], commune_ids)
            coverage_atoms_refresh(commune_ids)


def _remove(cursor, zones: list[int], communes: list[int]) -> None:
    params = {"zones": zones, "communes": communes}
    cursor.execute(_REMOVE_SQL, params)
    cursor.execute(_MERGE_SQL, params)


def _place(cursor, zone_id: int, communes: list[int]) -> None:
    params = {"zone": zone_id, "communes": communes}
    cursor.execute(_JUDGE_SQL, params)
    cursor.execute(_APPLY_SQL, params)
    cursor.execute(_NEW_PART_SQL, params)
    cursor.execute(_MERGE_SQL, params)


@transaction.atomic
def coverage_atoms_remove_zones(zone_ids: Iterable[int], commune_ids: Iterable[int]) -> None:
    """Takes deleted zones out of the atoms of the given communes (those where they had a partial piece)."""
    zones, communes = sorted(set(zone_ids)), sorted(set(commune_ids))
    if deferring(communes) or not zones or not communes:
        return
    _in_place(communes, lambda cursor: _remove(cursor, zones, communes))


@transaction.atomic
def coverage_atoms_place_zone(zone_id: int, *, left: Iterable[int] = (), entered: Iterable[int]) -> None:
    """Puts a created or reshaped zone, whose new pieces are stored, into the atoms: out of the communes where it had
    a partial piece before (left), into those where it has one now (entered)."""
    left, entered = sorted(set(left)), sorted(set(entered))
    communes = sorted({*left, *entered})
    if deferring(communes) or not communes:
        return
    _in_place(communes, lambda cursor: _place(cursor, zone_id, communes))
