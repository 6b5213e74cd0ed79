"""Figures of the geographic reference: load time, payload sizes, slivers, and API/tile latency against SQL floors.

Needs the reference data loaded (`make bootstrap`); every HTTP request goes to a gunicorn started here on 127.0.0.1.
"""
import gzip
import json
import statistics
import time

from django.db import connection, transaction

from bench.harness import (
    Options,
    Result,
    captured_sql,
    gunicorn_server,
    http_get,
    milliseconds,
    psql_timed,
    server_settings_module,
    sql_timed,
    timed,
)
from geo_backend.regions import loaders, selectors
from geo_backend.regions.models import AdminUnit, Edition, Locality, PcodeAlias, Population

LATENCY_SAMPLES = 30
LATENCY_WARMUP = 3
LOAD_SAMPLES = 3
LOAD_WARMUP = 1  # the first load also warms the file cache and imports pyogrio/GDAL: discarded
# The tables the reference loads fill; CASCADE also empties any table that points at them.
REFERENCE_TABLES = "regions_locality, regions_pcodealias, regions_population, regions_adminunit"
# Load order of `manage.py bootstrap`: population and localities refer to the boundaries.
LOAD_KINDS = ("boundaries", "population", "localities")
# Aims of the issue for the web layers at national zoom, gzip-compressed (1 KB = 1000 bytes, the stricter reading).
PAYLOAD_AIMS = {2: ("cercles", 60_000), 3: ("communes", 120_000)}
LEVEL_LABELS = {2: "cercles", 3: "communes"}
TILE = (6, 30, 29)  # z6 tile over central/south-western Mali (Ségou, Koulikoro, Bamako, Kayes)
LOCALITY_QUERY = "segou"


def default_edition() -> Edition:
    """The default edition, or a clear error when the reference data is not loaded."""
    if not AdminUnit.objects.exists():
        raise RuntimeError("no reference data in the database: run `make bootstrap` first")
    return selectors.edition_resolve(None)


def only_query(function) -> str:
    """The exact SQL text (parameters bound) of the single query that function runs."""
    queries = captured_sql(function)
    if len(queries) != 1:
        raise RuntimeError(f"expected one query, captured {len(queries)}")
    return queries[0]


def get_ok(base_url: str, path: str):
    """GET path with gzip accepted; fails loudly on anything but 200 so that error pages are never timed."""
    response = http_get(base_url, path)
    if response.status != 200:
        raise RuntimeError(f"GET {path}: HTTP {response.status}: {response.decoded()[:300]!r}")
    return response


def http_vs_psql(*, name: str, path: str, sql: str, options: Options, extra: dict) -> Result:
    """Latency of GET path on a fresh gunicorn, with the same SQL through psql as floor (both in ms)."""
    samples = options.samples(LATENCY_SAMPLES)
    with gunicorn_server() as base_url:
        first = get_ok(base_url, path)
        http_ms = milliseconds(timed(lambda: get_ok(base_url, path), samples=samples, warmup=LATENCY_WARMUP))
    floor_ms = milliseconds(psql_timed(sql, samples=samples, warmup=LATENCY_WARMUP))
    # Not floors, but they say what the psql floor is made of: client start-up and connection, then the query.
    psql_overhead_ms = milliseconds(psql_timed("SELECT 1", samples=samples, warmup=LATENCY_WARMUP))
    in_process_ms = milliseconds(sql_timed(sql, samples=samples, warmup=LATENCY_WARMUP))
    extra = {
        **extra,
        "path": path,
        "wire_bytes": len(first.body),
        "content_encoding": first.headers.get("content-encoding", "identity"),
        "decoded_bytes": len(first.decoded()),
        "psql_select_1_median_ms": round(statistics.median(psql_overhead_ms), 2),
        "sql_on_open_connection_median_ms": round(statistics.median(in_process_ms), 2),
        "server_settings": server_settings_module(),
        "warmup": LATENCY_WARMUP,
        "sql": " ".join(sql.split()),
    }
    return Result(name, "ms", http_ms, floor_name="same SQL via psql", floor_samples=floor_ms, extra=extra)


def area_latency(options: Options) -> Result:
    """GET /api/v1/areas/?level=2 (cercles GeoJSON, gzip) against its FeatureCollection SQL through psql."""
    edition = default_edition()
    sql = only_query(lambda: selectors.areas_feature_collection(edition=edition, level=2))
    return http_vs_psql(name="GET /api/v1/areas/?level=2", path="/api/v1/areas/?level=2", sql=sql,
                        options=options, extra={})


def tile_latency(options: Options) -> Result:
    """GET the z6 vector tile over central Mali against its ST_AsMVT SQL through psql."""
    edition = default_edition()
    z, x, y = TILE
    sql = only_query(lambda: selectors.area_tile(edition=edition, z=z, x=x, y=y))
    return http_vs_psql(name=f"GET /tiles/areas/{z}/{x}/{y}.pbf", path=f"/tiles/areas/{z}/{x}/{y}.pbf", sql=sql,
                        options=options, extra={"level": selectors.default_tile_level(z)})


def locality_search_latency(options: Options) -> Result:
    """GET /api/v1/localities/?q=segou against its search SQL through psql."""
    edition = default_edition()
    # Besides the search's own statement, a search asks whether the names the place matching keeps in memory are
    # still current (and reads them the first time): the floor is the search's statement.
    hits = len(selectors.localities_search(edition=edition, q=LOCALITY_QUERY))
    (sql,) = [query for query in captured_sql(lambda: selectors.localities_search(edition=edition, q=LOCALITY_QUERY))
              if "FROM regions_locality l" in query]
    return http_vs_psql(name=f"GET /api/v1/localities/?q={LOCALITY_QUERY}",
                        path=f"/api/v1/localities/?q={LOCALITY_QUERY}", sql=sql, options=options,
                        extra={"results": hits})


def payload_sizes(options: Options) -> list[Result]:
    """Bytes on the wire (gzip) of the cercles and communes layers at national zoom, against the issue's aims.

    One fetch per layer: the size does not vary between requests (apart from Django's BREACH padding of up to
    100 bytes, which is why a local gzip -6 of the decoded body is reported as well).
    """
    default_edition()
    results = []
    with gunicorn_server() as base_url:
        for level, (label, aim) in PAYLOAD_AIMS.items():
            response = get_ok(base_url, f"/api/v1/areas/?level={level}")
            body = response.decoded()
            wire = int(response.headers.get("content-length", len(response.body)))
            results.append(Result(
                f"payload {label} (level {level}), gzip on the wire", "KB", [wire / 1000],
                extra={"content_encoding": response.headers.get("content-encoding", "identity"),
                       "wire_bytes": wire, "decoded_bytes": len(body),
                       "gzip6_bytes": len(gzip.compress(body, compresslevel=6, mtime=0)),
                       "features": len(json.loads(body)["features"]), "aim_gzip_bytes": aim,
                       "meets_aim": wire <= aim},
            ))
    return results


SLIVER_SQL = """
WITH units AS (
  SELECT geom, web_geom FROM regions_adminunit WHERE edition_id = %(edition)s AND level = %(level)s
),
unions AS (
  SELECT ST_Union(geom) AS full_union, ST_Union(web_geom) AS web_union FROM units
),
-- Each union with its holes filled: the outlines of its polygons.
filled AS (
  SELECT full_union, web_union,
         (SELECT ST_Union(ST_MakePolygon(ST_ExteriorRing(d.geom))) FROM ST_Dump(full_union) d) AS full_filled,
         (SELECT ST_Union(ST_MakePolygon(ST_ExteriorRing(d.geom))) FROM ST_Dump(web_union) d) AS web_filled
  FROM unions
)
SELECT
  -- Holes of the web layer that are not holes of the full layer: gaps opened by simplification.
  ST_Area(ST_Difference(ST_Difference(web_filled, web_union), ST_Difference(full_filled, full_union))::geography)
    / 1e6,
  -- Everything covered by the full layer but not by the web one (gaps plus the trimmed outer border).
  ST_Area(ST_Difference(full_union, web_union)::geography) / 1e6,
  ST_Area(full_union::geography) / 1e6
FROM filled
"""

OVERLAP_SQL = """
SELECT coalesce(sum(ST_Area(ST_CollectionExtract(ST_Intersection(a.web_geom, b.web_geom), 3)::geography)), 0)
         / 1e6,
       count(*),
       count(*) FILTER (WHERE ST_Overlaps(a.web_geom, b.web_geom))
FROM regions_adminunit a
JOIN regions_adminunit b
  ON b.edition_id = a.edition_id AND b.level = a.level AND b.id > a.id AND ST_Intersects(a.web_geom, b.web_geom)
WHERE a.edition_id = %(edition)s AND a.level = %(level)s
"""


def slivers(options: Options) -> list[Result]:
    """Gaps and overlaps that simplification left between neighbours of the web layers, in km² (geography)."""
    edition = default_edition()
    results = []
    for level, label in LEVEL_LABELS.items():
        params = {"edition": edition.id, "level": level}
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(SLIVER_SQL, params)
            gaps_km2, uncovered_km2, total_km2 = cursor.fetchone()
            cursor.execute(OVERLAP_SQL, params)
            overlap_km2, touching_pairs, overlapping_pairs = cursor.fetchone()
            seconds = time.perf_counter() - started
        common = {"level": level, "layer_area_km2": round(total_km2), "query_seconds": round(seconds, 1)}
        results.append(Result(
            f"sliver gaps {label} (web holes not in full)", "km²", [gaps_km2],
            extra={**common, "full_minus_web_km2": uncovered_km2,
                   "note": "full_minus_web also counts the simplified outer border"},
        ))
        results.append(Result(
            f"sliver overlaps {label} (web, neighbours)", "km²", [overlap_km2],
            extra={**common, "touching_pairs": touching_pairs, "overlapping_pairs": overlapping_pairs},
        ))
    return results


def reference_counts() -> dict:
    """Rows per reference table, to show what a load produced."""
    return {"admin_units": AdminUnit.objects.count(), "population": Population.objects.count(),
            "pcode_aliases": PcodeAlias.objects.count(), "localities": Locality.objects.count()}


def full_load(options: Options) -> Result:
    """Seconds to load every reference layer into empty tables, as `manage.py bootstrap` does; rolled back.

    Each run empties the tables inside a transaction, loads the manifest's boundaries, population and
    localities, and rolls back, so the database ends as it was. The first LOAD_WARMUP runs are discarded.
    """
    source_ids = [source_id for kind in LOAD_KINDS for source_id in loaders.manifest_source_ids(kind)]
    totals: list[float] = []
    per_layer: dict[str, list[float]] = {source_id: [] for source_id in source_ids}
    counts: dict = {}
    for run in range(LOAD_WARMUP + options.samples(LOAD_SAMPLES)):
        layer_times = {}
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {REFERENCE_TABLES} CASCADE")
            started = time.perf_counter()
            for source_id in source_ids:
                layer_started = time.perf_counter()
                loaders.manifest_source_load(source_id)
                layer_times[source_id] = time.perf_counter() - layer_started
            total = time.perf_counter() - started
            counts = reference_counts()
            # Undo the load (and the TRUNCATE): the benchmark leaves the database as it found it.
            transaction.set_rollback(True)
        if run >= LOAD_WARMUP:
            totals.append(total)
            for source_id, seconds in layer_times.items():
                per_layer[source_id].append(seconds)
    return Result(
        "load all reference layers from empty", "s", totals,
        extra={"per_layer_median_s": {k: round(statistics.median(v), 2) for k, v in per_layer.items()},
               "rows_loaded": counts, "warmup": LOAD_WARMUP},
    )
