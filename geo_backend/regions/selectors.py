"""Read-only queries on the geographic reference. GeoJSON and vector tiles are built by PostGIS."""
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Count

from etl.names import normalise_name
from geo_backend.common.errors import DomainError, NotFound

from .models import AdminLevel, AdminUnit, Edition

# Coordinates are rounded on the way out: 4 decimals (about 11 m) for web geometries, 6 (about 0.1 m) for full.
WEB_PRECISION = 4
FULL_PRECISION = 6
# Trigram similarity above which a name counts as a spelling variant ("Koulikouro" for "Koulikoro").
NAME_SIMILARITY = 0.45


def edition_list_with_counts() -> list[dict]:
    """Every edition with its number of units per level, for the home and about pages."""
    counts = AdminUnit.objects.values("edition_id", "level").annotate(n=Count("id")).order_by("level")
    by_edition: dict[int, list] = {}
    for row in counts:
        by_edition.setdefault(row["edition_id"], []).append(
            {"level": row["level"], "label": AdminLevel(row["level"]).label, "count": row["n"]}
        )
    return [
        {"name": e.name, "slug": e.slug, "attribution": e.attribution, "levels": by_edition.get(e.id, [])}
        for e in Edition.objects.order_by("-is_default", "name")
    ]


def edition_by_id(pk: int) -> Edition:
    """The edition with this id (callers that keep only ids, such as per-process caches, come back with one)."""
    return Edition.objects.get(pk=pk)


def edition_resolve(slug: str | None) -> Edition:
    """The edition named by slug, or the default edition."""
    edition = Edition.objects.filter(slug=slug).first() if slug else Edition.objects.filter(is_default=True).first()
    if edition is None:
        raise NotFound(
            "edition_not_found",
            f"Édition introuvable : {slug or '(par défaut)'}.",
            f"Edition not found: {slug or '(default)'}.",
        )
    return edition


def _filters(*, edition: Edition, level: int | None, parent: str | None, q: str | None,
             contains: tuple[float, float] | None, bbox: tuple[float, float, float, float] | None
             ) -> tuple[str, dict]:
    clauses = ["u.edition_id = %(edition)s"]
    params: dict = {"edition": edition.id}
    if level is not None:
        clauses.append("u.level = %(level)s")
        params["level"] = level
    if parent:
        clauses.append("u.parent_id = (SELECT id FROM regions_adminunit WHERE edition_id = %(edition)s"
                       " AND pcode = upper(%(parent)s))")
        params["parent"] = parent
    if q:
        params["q"] = normalise_name(q)
        params["q_pcode"] = q.strip().upper()
        params["similarity"] = NAME_SIMILARITY
        # The import's matcher too (close spellings, "ou"/"u", Mali's letters): one way of finding places.
        from geo_backend.exchange.reference import matched_unit_pcodes

        params["matched"] = matched_unit_pcodes(edition, q, level)
        clauses.append("(u.name_variants @> ARRAY[%(q)s]::varchar[] OR u.pcode = %(q_pcode)s"
                       " OR similarity(u.name_normalised, %(q)s) >= %(similarity)s OR u.pcode = ANY(%(matched)s))")
    if contains:
        params["lon"], params["lat"] = contains
        clauses.append("ST_Intersects(u.geom, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326))")
    if bbox:
        params["min_lon"], params["min_lat"], params["max_lon"], params["max_lat"] = bbox
        clauses.append("ST_Intersects(u.geom, ST_MakeEnvelope(%(min_lon)s, %(min_lat)s, %(max_lon)s, %(max_lat)s,"
                       " 4326))")
    return " AND ".join(clauses), params


def areas_feature_collection(*, edition: Edition, level: int | None = None, parent: str | None = None,
                             q: str | None = None, contains: tuple[float, float] | None = None,
                             bbox: tuple[float, float, float, float] | None = None,
                             full_geometry: bool = False) -> str:
    """The matching units as a GeoJSON FeatureCollection string, built entirely by PostGIS.

    bbox (min lon, min lat, max lon, max lat) keeps the units whose geometry intersects the box. Search results
    (q) come best first: exact name or P-code, then by name similarity.
    """
    where, params = _filters(edition=edition, level=level, parent=parent, q=q, contains=contains, bbox=bbox)
    geometry = "u.geom" if full_geometry else "u.web_geom"
    params["precision"] = FULL_PRECISION if full_geometry else WEB_PRECISION
    order = ("(u.name_variants @> ARRAY[%(q)s]::varchar[] OR u.pcode = %(q_pcode)s) DESC,"
             " similarity(u.name_normalised, %(q)s) DESC," if q else "")
    sql = f"""
        SELECT json_build_object(
          'type', 'FeatureCollection',
          'features', coalesce(json_agg(f.feature ORDER BY f.rank), '[]'::json)
        )::text
        FROM (
          SELECT row_number() OVER (ORDER BY {order} u.level, u.pcode) AS rank,
                 json_build_object(
                   'type', 'Feature',
                   'id', u.pcode,
                   'geometry', ST_AsGeoJSON({geometry}, %(precision)s)::json,
                   'properties', json_build_object(
                     'pcode', u.pcode, 'name', u.name, 'level', u.level, 'parent_pcode', p.pcode,
                     'area_km2', round(u.area_km2::numeric, 1),
                     'women_2017', pop.female, 'population_2017', pop.total)
                 ) AS feature
          FROM regions_adminunit u
          LEFT JOIN regions_adminunit p ON p.id = u.parent_id
          LEFT JOIN regions_population pop ON pop.unit_id = u.id AND pop.year = 2017
          WHERE {where}
        ) f
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def units_feature_collection(*, edition: Edition, rows: list[dict]) -> str:
    """A GeoJSON FeatureCollection (text, built by PostGIS) of the units named by rows[i]["pcode"], in the rows'
    order, each with its web geometry and the row itself as properties (the analytics measures)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT json_build_object(
              'type', 'FeatureCollection',
              'features', coalesce(json_agg(json_build_object(
                'type', 'Feature', 'id', u.pcode, 'geometry', ST_AsGeoJSON(u.web_geom, %s)::json,
                'properties', r.properties) ORDER BY r.position), '[]'::json)
            )::text
            FROM json_array_elements(%s::json) WITH ORDINALITY AS r(properties, position)
            JOIN regions_adminunit u ON u.edition_id = %s AND u.pcode = r.properties->>'pcode'
            """,
            [WEB_PRECISION, json.dumps(rows, cls=DjangoJSONEncoder), edition.id],
        )
        return cursor.fetchone()[0]


def area_detail(*, edition: Edition, pcode: str, scheme: str | None = None) -> dict:
    """One unit with its parent chain, children, population by year, alias codes and web geometry.

    With scheme (e.g. "hdx2017"), pcode is read in that scheme and resolved through the alias table.
    """
    units = AdminUnit.objects.filter(edition=edition)
    if scheme and scheme != edition.pcode_scheme:
        unit = units.filter(aliases__scheme=scheme, aliases__pcode=pcode.upper()).first()
    else:
        unit = units.filter(pcode=pcode.upper()).first()
    if unit is None:
        raise NotFound(
            "area_not_found",
            f"Aucune unité {pcode} dans l'édition {edition.name}" + (f" (schéma {scheme})." if scheme else "."),
            f"No unit {pcode} in edition {edition.name}" + (f" (scheme {scheme})." if scheme else "."),
        )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH RECURSIVE chain AS (
              SELECT id, parent_id, pcode, name, level FROM regions_adminunit WHERE id = %s
              UNION ALL
              SELECT p.id, p.parent_id, p.pcode, p.name, p.level
              FROM regions_adminunit p JOIN chain c ON p.id = c.parent_id
            )
            SELECT pcode, name, level FROM chain WHERE id <> %s ORDER BY level
            """,
            [unit.id, unit.id],
        )
        parents = [{"pcode": p, "name": n, "level": lv} for p, n, lv in cursor.fetchall()]
        cursor.execute("SELECT ST_AsGeoJSON(web_geom, %s)::json FROM regions_adminunit WHERE id = %s",
                       [WEB_PRECISION, unit.id])
        geometry = cursor.fetchone()[0]
    return {
        "type": "Feature",
        "id": unit.pcode,
        "geometry": geometry,
        "properties": {
            "pcode": unit.pcode,
            "name": unit.name,
            "level": unit.level,
            "level_label": str(AdminLevel(unit.level).label),
            "edition": edition.slug,
            "alt_names": unit.alt_names,
            "area_km2": round(unit.area_km2, 1),
            "parents": parents,
            "children": list(unit.children.order_by("pcode").values("pcode", "name", "level")),
            "population": list(unit.populations.order_by("year").values("year", "female", "male", "total")),
            "aliases": list(unit.aliases.order_by("scheme").values("scheme", "pcode", "name")),
        },
    }


def localities_search(*, edition: Edition, q: str, limit: int = 20) -> list[dict]:
    """Populated places whose name matches q (accent-, case- and spelling-tolerant), best first."""
    normalised = normalise_name(q)
    if not normalised:
        return []
    from geo_backend.exchange.reference import matched_locality_pcodes

    matched = matched_locality_pcodes(edition, q, limit)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT l.pcode, l.name, l.place_class, c.pcode, c.name, ST_X(l.geom), ST_Y(l.geom)
            FROM regions_locality l
            LEFT JOIN regions_adminunit c ON c.id = l.commune_id
            WHERE l.edition_id = %(edition)s
              AND (l.name_normalised LIKE %(prefix)s OR l.name_normalised %% %(q)s OR l.pcode = ANY(%(matched)s))
            ORDER BY (l.name_normalised = %(q)s) DESC, (l.name_normalised LIKE %(prefix)s) DESC,
                     (l.pcode = ANY(%(matched)s)) DESC,
                     similarity(l.name_normalised, %(q)s) DESC, l.place_class, l.name
            LIMIT %(limit)s
            """,
            {"edition": edition.id, "q": normalised, "prefix": normalised + "%", "limit": limit, "matched": matched},
        )
        return [
            {"pcode": p, "name": n, "place_class": pc, "commune_pcode": cp, "commune_name": cn,
             "lon": round(x, 6), "lat": round(y, 6)}
            for p, n, pc, cp, cn, x, y in cursor.fetchall()
        ]


LABELS_MAX = 5000  # a bbox of villages holds a few hundred; the cap only bounds a careless request


def locality_labels(*, edition: Edition, max_class: int, bbox: tuple[float, float, float, float] | None = None
                    ) -> str:
    """The places of class max_class and more important ones (inside bbox if given) as a GeoJSON FeatureCollection
    of points, the most important first: the map's place labels, built by PostGIS."""
    box_clause = " AND l.geom && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326)" if bbox else ""
    x0, y0, x1, y1 = bbox or (None,) * 4
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                     'type', 'Feature', 'geometry', ST_AsGeoJSON(l.geom, 4)::json,
                     'properties', json_build_object('pcode', l.pcode, 'name', l.name, 'place_class', l.place_class))
                   ORDER BY l.place_class, l.name), '[]'::json))::text
            FROM (SELECT * FROM regions_locality l
                  WHERE l.edition_id = %(edition)s AND l.place_class <= %(max_class)s{box_clause}
                  ORDER BY l.place_class, l.name LIMIT %(limit)s) l
            """,
            {"edition": edition.id, "max_class": max_class, "x0": x0, "y0": y0, "x1": x1, "y1": y1,
             "limit": LABELS_MAX},
        )
        return cursor.fetchone()[0]


def default_tile_level(zoom: int) -> int:
    """Regions at country zoom, cercles at regional zoom, communes closer in."""
    if zoom < 6:
        return 1
    if zoom < 8:
        return 2
    return 3


def area_tile_check(*, z: int, x: int, y: int) -> None:
    if not (0 <= z <= 22 and 0 <= x < 2**z and 0 <= y < 2**z):
        raise DomainError("tile_out_of_range", "Tuile hors limites.", "Tile coordinates out of range.")


def area_tile(*, edition: Edition, z: int, x: int, y: int, level: int | None = None) -> bytes:
    """A Mapbox vector tile (layer "areas") of one admin level, built by ST_AsMVT."""
    area_tile_check(z=z, x=x, y=y)
    level = default_tile_level(z) if level is None else level
    # Web geometries are enough up to zoom 9; closer in, the full geometry keeps borders exact.
    geometry = "u.web_geom" if z < 10 else "u.geom"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH bounds AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS envelope),
            features AS (
              SELECT u.pcode, u.name, u.level,
                     ST_AsMVTGeom(ST_Transform({geometry}, 3857), bounds.envelope, 4096, 64, true) AS geom
              FROM regions_adminunit u, bounds
              WHERE u.edition_id = %(edition)s AND u.level = %(level)s
                AND {geometry} && ST_Transform(bounds.envelope, 4326)
            )
            SELECT ST_AsMVT(features, 'areas', 4096, 'geom') FROM features WHERE geom IS NOT NULL
            """,
            {"z": z, "x": x, "y": y, "edition": edition.id, "level": level},
        )
        return bytes(cursor.fetchone()[0] or b"")


def unit_neighbours(*, edition: Edition, level: int) -> dict[str, list[str]]:
    """For each unit of a level, the P-codes of the units it touches (by a side or a corner), found by PostGIS."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.pcode, coalesce(array_agg(b.pcode ORDER BY b.pcode) FILTER (WHERE b.pcode IS NOT NULL), '{}')
            FROM regions_adminunit a
            LEFT JOIN regions_adminunit b
              ON b.edition_id = a.edition_id AND b.level = a.level AND b.id <> a.id AND ST_Intersects(a.geom, b.geom)
            WHERE a.edition_id = %s AND a.level = %s
            GROUP BY a.pcode
            """,
            [edition.id, level],
        )
        return dict(cursor.fetchall())
