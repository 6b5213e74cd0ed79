"""Keeps the coverage atoms fresh: all communes (rebuild) or only those a changed zone touches (incremental).

For each commune, the borders of the partial zone pieces inside it are noded and polygonised into faces; each face
is labelled with the zones that contain a point inside it. Faces no zone covers (holes) are dropped. Pieces that are
the whole commune (zones_zonecommune.covers_commune) are left out: they would add no border, only their zone's id
to every atom of the commune (in Bamako's Commune V at 20,000 zones, ~800 ids in each of 8,659 atoms); the
measuring queries count the commune whole for them instead (selectors.py).

Concurrency. Two transactions refreshing one commune at the same moment would each build its atoms from the pieces
they see (their own, not the other's uncommitted ones), and both insert: overlapping atoms, counted twice. So a
refresh first takes a transaction-scoped advisory lock per commune, in commune id order (the last step of the lock
order written in zones/services.py), released at commit. Under READ COMMITTED (Django's default) each statement
reads a fresh snapshot, so the statements that follow the lock see everything the previous holder committed.

Bounded work. Atoms are built in batches of communes (a bounded number of zone pieces per statement), and each
statement runs with its own memory budget (work_mem) and time limit: one statement over every commune once grew a
database backend to 22.9 GB.
"""
import contextlib
import contextvars
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection, transaction

from .budget import bound_statements

# Inside coverage_atoms_deferred(), refreshes are collected and done once at the end (bulk loads, the demo).
_deferred: contextvars.ContextVar[set | None] = contextvars.ContextVar("coverage_atoms_deferred", default=None)

# The advisory-lock namespace of "the coverage atoms of commune N" (two-key form: namespace, commune id).
ATOMS_LOCK_NAMESPACE = 0x4D41  # "MA"

# Faces and atom parts smaller than this are dropped (1e-9 km² = 0.001 m²): slivers of floating-point noding.
ATOM_MIN_KM2 = 1e-9

# progress(communes done, communes in all, atoms written so far)
Progress = Callable[[int, int, int], None]

# Step 1: the faces of each commune's noded piece borders, in a temporary table indexed on their interior points.
FACES_SQL = f"""
CREATE TEMPORARY TABLE atom_faces ON COMMIT DROP AS
WITH distinct_pieces AS (
  -- Identical pieces (a town's buffer drawn again by the same organisation, the same drawing imported twice) add
  -- nothing to the borders but make the union node the same lines over and over: 38 distinct of 115 pieces took
  -- 0.6 s to node instead of 15 s in one dense commune.
  SELECT DISTINCT ON (commune_id, md5(ST_AsBinary(geom))) commune_id, geom
  FROM zones_zonecommune WHERE commune_id = ANY(%s) AND NOT covers_commune
), noded AS (
  -- Snap-rounded on a 1e-9° grid (0.1 mm): floating-point noding (ST_Union of the lines) left near-coincident
  -- borders of a dense commune crossing without a node, and polygonize then dropped the faces they bound (0.04 to
  -- 0.4 km² of the 222 km² of Bamako's densest commune at 20,000 zones, some faces also invalid). Snap-rounding nodes
  -- every crossing: the faces add up to the union of the pieces.
  SELECT commune_id, ST_UnaryUnion(ST_Collect(ST_Boundary(geom)), 1e-9) AS lines
  FROM distinct_pieces GROUP BY commune_id
), polygonised AS (
  SELECT commune_id, ST_Polygonize(lines) AS collection FROM noded GROUP BY commune_id
), faces AS (
  SELECT p.commune_id, f.geom, ST_PointOnSurface(f.geom) AS inner_point
  FROM polygonised p, LATERAL ST_Dump(p.collection) f
)
-- A face's interior point is trusted when it lies clearly inside the face (1e-7° ≈ 1 cm from its border): noding
-- may move borders by far less. Hair-thin faces (near-collinear zone and commune edges) are judged by area
-- instead, since their "interior point" can sit on the border.
SELECT row_number() OVER () AS face_id, commune_id, geom, inner_point, area_km2,
       ST_Distance(inner_point, ST_Boundary(geom)) > 1e-7 AND ST_Contains(geom, inner_point) AS fat
FROM faces, LATERAL (SELECT musoya_area_km2(geom) AS area_km2) a WHERE area_km2 > {ATOM_MIN_KM2}
"""

# Step 2: each face labelled with the zones whose piece contains its interior point. Pieces drive the join: each
# distinct piece shape finds the points inside its bounding box through the index, and PostGIS prepares the repeated
# shape once for all its points (the other way round, every face tested every piece of the commune, unprepared: the
# cost grew with faces times pieces, which is what made dense communes such as Bamako slow).
ATOMS_SQL = """
WITH shapes AS MATERIALIZED (
  -- Identical partial pieces (a place drawn again, the same radius around the same town) tested once, then each
  -- gives all its zones: in Bamako's Commune V at 20,000 zones, 153 shapes instead of 288 pieces.
  SELECT commune_id, (array_agg(geom))[1] AS geom, array_agg(zone_id) AS zone_ids
  FROM zones_zonecommune
  WHERE commune_id = ANY(%(batch)s) AND NOT covers_commune
  GROUP BY commune_id, md5(ST_AsBinary(geom))
), labels AS (
  -- LATERAL: the shapes drive the join whatever the planner believes of the tables' sizes (the reverse order, each
  -- face looking up the pieces whose box holds its point, unprepared, took 10 s for 1,486 faces of two communes).
  SELECT f.face_id, unnest(p.zone_ids) AS zone_id
  FROM shapes p
  CROSS JOIN LATERAL (
    SELECT f.face_id FROM atom_faces f
    WHERE f.fat AND f.commune_id = p.commune_id AND ST_Intersects(p.geom, f.inner_point)
    OFFSET 0  -- kept a subquery: pulled up into a plain join, the planner may turn the order round again
  ) f
  UNION ALL
  SELECT f.face_id, unnest(p.zone_ids)
  FROM atom_faces f
  JOIN shapes p ON p.commune_id = f.commune_id AND p.geom && f.geom
  WHERE NOT f.fat AND ST_Area(ST_Intersection(p.geom, f.geom)) > 0.5 * ST_Area(f.geom)
), labelled AS (
  -- Grouped by the face number alone (not by its geometry, which would sort geometries).
  SELECT face_id, array_agg(zone_id ORDER BY zone_id) AS zone_ids FROM labels GROUP BY face_id
)
INSERT INTO analytics_coverageatom (commune_id, zone_ids, area_km2, geom)
SELECT f.commune_id, l.zone_ids, f.area_km2, ST_Multi(f.geom)
FROM labelled l JOIN atom_faces f USING (face_id)
"""


def lock_communes(cursor, commune_ids: list[int]) -> None:
    """Transaction-scoped locks on the communes' atoms, one statement each so that they are taken in id order."""
    cursor.executemany("SELECT pg_advisory_xact_lock(%s, %s)",
                       [(ATOMS_LOCK_NAMESPACE, commune_id) for commune_id in sorted(commune_ids)])


def _batches(cursor, commune_ids: list[int]) -> list[list[int]]:
    """The communes in id order, cut into runs of at most COVERAGE_BATCH_PIECES partial zone pieces and
    COVERAGE_BATCH_COMMUNES communes (a commune with more pieces than that is a batch of its own)."""
    cursor.execute(
        "SELECT c.id, (SELECT count(*) FROM zones_zonecommune zc WHERE zc.commune_id = c.id"
        " AND NOT zc.covers_commune)"
        " FROM unnest(%s::bigint[]) AS c(id) ORDER BY c.id", [commune_ids])
    batches, current, pieces = [], [], 0
    for commune_id, count in cursor.fetchall():
        if current and (pieces + count > settings.COVERAGE_BATCH_PIECES
                        or len(current) >= settings.COVERAGE_BATCH_COMMUNES):
            batches.append(current)
            current, pieces = [], 0
        current.append(commune_id)
        pieces += count
    return [*batches, current] if current else batches


def _refresh_batch(cursor, batch: list[int]) -> int:
    cursor.execute("DELETE FROM analytics_coverageatom WHERE commune_id = ANY(%s)", [batch])
    cursor.execute(FACES_SQL, [batch])
    cursor.execute("CREATE INDEX ON atom_faces USING gist (inner_point); ANALYZE atom_faces")
    cursor.execute(ATOMS_SQL, {"batch": batch})
    atoms = cursor.rowcount
    cursor.execute("DROP TABLE atom_faces")  # the next batch of the same transaction makes its own
    return atoms


def coverage_atoms_rebuild(*, progress: Progress | None = None) -> int:
    """Recomputes the atoms of every commune that has partial zone pieces or atoms; returns how many atoms there are.

    Each batch of communes is its own transaction (a savepoint when called inside one): locks are held briefly,
    every commune is consistent at every moment, and an interruption loses at most the batch in progress.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT commune_id FROM zones_zonecommune WHERE NOT covers_commune"
                       " UNION SELECT commune_id FROM analytics_coverageatom")
        communes = sorted(row[0] for row in cursor.fetchall())
        batches = _batches(cursor, communes)
    done = atoms = 0
    for batch in batches:
        with transaction.atomic(), connection.cursor() as cursor:
            bound_statements(cursor)
            lock_communes(cursor, batch)
            atoms += _refresh_batch(cursor, batch)
        done += len(batch)
        if progress:
            progress(done, len(communes), atoms)
    return atoms


def deferring(commune_ids: list[int]) -> bool:
    """Inside coverage_atoms_deferred(), notes the communes for the refresh at its end and says so."""
    pending = _deferred.get()
    if pending is not None:
        pending.update(commune_ids)
    return pending is not None


@contextlib.contextmanager
def coverage_atoms_deferred(*, progress: Progress | None = None):
    """Collects the communes to refresh while many zones are written, then refreshes each of them once."""
    pending: set = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    coverage_atoms_refresh(pending, progress=progress)


@transaction.atomic
def coverage_atoms_refresh(commune_ids: Iterable[int], *, progress: Progress | None = None) -> int:
    """Recomputes the atoms of the given communes only (those where a created, changed or deleted zone has a partial
    piece), in the caller's transaction, in batches; returns how many atoms were written."""
    ids = sorted(set(commune_ids))
    if deferring(ids) or not ids:
        return 0
    atoms = done = 0
    with connection.cursor() as cursor:
        bound_statements(cursor)
        lock_communes(cursor, ids)
        for batch in _batches(cursor, ids):
            atoms += _refresh_batch(cursor, batch)
            done += len(batch)
            if progress:
                progress(done, len(ids), atoms)
    return atoms
