"""Writes to the geographic reference. Each function upserts a whole layer with SQL in the caller's transaction.

Rows are first copied into a temporary staging table, then merged with one INSERT ... ON CONFLICT statement
whose WHERE clause skips identical rows; the counts come back from PostgreSQL (xmax = 0 marks an insert).
"""
from dataclasses import dataclass, field

from django.db import connection

from geo_backend.common.errors import DomainError

from .layer_store import rendered_layers_invalidate
from .models import Edition


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, rejected {self.rejected}"
        )


def edition_upsert(*, slug: str, name: str, source: str = "", published_on=None, pcode_scheme: str,
                   licence: str = "", attribution: str = "", is_default: bool = False) -> tuple[Edition, bool]:
    """Creates or updates an edition; returns (edition, changed)."""
    values = {"name": name, "source": source, "published_on": published_on, "pcode_scheme": pcode_scheme,
              "licence": licence, "attribution": attribution}
    edition = Edition.objects.filter(slug=slug).first()
    if edition is None:
        if is_default or not Edition.objects.filter(is_default=True).exists():
            Edition.objects.filter(is_default=True).update(is_default=False)
            values["is_default"] = True
        return Edition.objects.create(slug=slug, **values), True
    changed = any(str(getattr(edition, key) or "") != str(value or "") for key, value in values.items())
    if changed:
        for key, value in values.items():
            setattr(edition, key, value)
        edition.save()
    return edition, changed


def _stage(cursor, table: str, columns: str, placeholders: str, rows: list[tuple]) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(f"CREATE TEMP TABLE {table} ({columns}) ON COMMIT DROP")
    if rows:
        cursor.executemany(f"INSERT INTO {table} VALUES ({placeholders})", rows)


def _counts(cursor, total: int) -> LoadCounts:
    created, updated = cursor.fetchone()
    return LoadCounts(created=created, updated=updated, unchanged=total - created - updated)


def admin_units_upsert(*, edition: Edition, level: int, rows: list[dict]) -> LoadCounts:
    """Upserts one level of admin units of an edition.

    Each row: pcode, name, name_normalised, name_variants, alt_names, parent_pcode, valid_on, geom_wkb,
    web_geom_wkb (EPSG:4326 MultiPolygons). The parent is found by P-code at the level above, in the same
    edition; an unknown parent is an error and nothing is written. Areas are computed on the geography.
    """
    staged = [
        (r["pcode"], r["name"], r["name_normalised"], list(r["name_variants"]), list(r["alt_names"]),
         r["parent_pcode"], r["valid_on"], r["geom_wkb"], r["web_geom_wkb"])
        for r in rows
    ]
    with connection.cursor() as cursor:
        _stage(
            cursor, "staging_units",
            "pcode text, name text, name_normalised text, name_variants text[], alt_names text[], parent_pcode text,"
            " valid_on date, geom geometry(MultiPolygon, 4326), web_geom geometry(MultiPolygon, 4326)",
            "%s, %s, %s, %s, %s, %s, %s, ST_GeomFromWKB(%s, 4326), ST_GeomFromWKB(%s, 4326)",
            staged,
        )
        cursor.execute(
            """
            SELECT array_agg(DISTINCT s.parent_pcode ORDER BY s.parent_pcode)
            FROM staging_units s
            LEFT JOIN regions_adminunit p
              ON p.edition_id = %s AND p.level = %s AND p.pcode = s.parent_pcode
            WHERE s.parent_pcode IS NOT NULL AND p.id IS NULL
            """,
            [edition.id, level - 1],
        )
        missing = cursor.fetchone()[0]
        if missing:
            raise DomainError(
                "parent_missing",
                f"Unités parentes introuvables au niveau {level - 1} de l'édition {edition.name} : "
                f"{', '.join(missing[:10])}. Chargez d'abord le niveau supérieur.",
                f"Parent units not found at level {level - 1} of edition {edition.name}: "
                f"{', '.join(missing[:10])}. Load the level above first.",
                details={"missing_parents": missing},
            )
        cursor.execute(
            """
            WITH merged AS (
              INSERT INTO regions_adminunit AS u (edition_id, level, pcode, name, name_normalised, name_variants,
                  alt_names, parent_id, geom, web_geom, area_km2, valid_on, updated_at)
              SELECT %(edition)s, %(level)s, s.pcode, s.name, s.name_normalised, s.name_variants, s.alt_names, p.id,
                     s.geom, s.web_geom, musoya_area_km2(s.geom), s.valid_on, now()
              FROM staging_units s
              LEFT JOIN regions_adminunit p
                ON p.edition_id = %(edition)s AND p.level = %(level)s - 1 AND p.pcode = s.parent_pcode
              ON CONFLICT ON CONSTRAINT unit_pcode_unique_in_edition DO UPDATE SET
                level = EXCLUDED.level, name = EXCLUDED.name, name_normalised = EXCLUDED.name_normalised,
                name_variants = EXCLUDED.name_variants, alt_names = EXCLUDED.alt_names,
                parent_id = EXCLUDED.parent_id, geom = EXCLUDED.geom, web_geom = EXCLUDED.web_geom,
                area_km2 = EXCLUDED.area_km2, valid_on = EXCLUDED.valid_on, updated_at = now()
              WHERE (u.level, u.name, u.name_normalised, u.name_variants, u.alt_names, u.parent_id, u.valid_on,
                     ST_AsBinary(u.geom), ST_AsBinary(u.web_geom))
                IS DISTINCT FROM
                    (EXCLUDED.level, EXCLUDED.name, EXCLUDED.name_normalised, EXCLUDED.name_variants,
                     EXCLUDED.alt_names, EXCLUDED.parent_id, EXCLUDED.valid_on,
                     ST_AsBinary(EXCLUDED.geom), ST_AsBinary(EXCLUDED.web_geom))
              RETURNING (xmax = 0) AS created
            )
            SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM merged
            """,
            {"edition": edition.id, "level": level},
        )
        counts = _counts(cursor, len(staged))
        if counts.created or counts.updated:
            rendered_layers_invalidate(edition)
        cursor.execute(
            """
            SELECT count(*) FROM regions_adminunit u
            WHERE u.edition_id = %s AND u.level = %s
              AND NOT EXISTS (SELECT 1 FROM staging_units s WHERE s.pcode = u.pcode)
            """,
            [edition.id, level],
        )
        absent = cursor.fetchone()[0]
    if absent:
        counts.notes.append(f"{absent} unit(s) of this level are stored but absent from the file (kept).")
    return counts


def _unknown_pcodes(cursor, staging: str, edition: Edition, level: int) -> list[str]:
    cursor.execute(
        f"""
        SELECT array_agg(DISTINCT s.pcode ORDER BY s.pcode) FROM {staging} s
        WHERE NOT EXISTS (SELECT 1 FROM regions_adminunit u
                          WHERE u.edition_id = %s AND u.level = %s AND u.pcode = s.pcode)
        """,
        [edition.id, level],
    )
    return cursor.fetchone()[0] or []


def _raise_unknown(unknown: list[str], edition: Edition, level: int) -> None:
    raise DomainError(
        "pcode_unknown",
        f"P-codes inconnus au niveau {level} de l'édition {edition.name} : {', '.join(unknown[:10])}. "
        "Chargez d'abord les limites (load_boundaries).",
        f"Unknown P-codes at level {level} of edition {edition.name}: {', '.join(unknown[:10])}. "
        "Load the boundaries first (load_boundaries).",
        details={"unknown_pcodes": unknown},
    )


def population_upsert(*, edition: Edition, level: int, rows: list[tuple], source: str) -> LoadCounts:
    """Upserts population rows (pcode, year, female, male, total) for units of one level, then rolls the
    sums up the hierarchy of the edition so that cercles, regions and the country match their communes."""
    with connection.cursor() as cursor:
        _stage(cursor, "staging_population", "pcode text, year int, female int, male int, total int",
               "%s, %s, %s, %s, %s", rows)
        unknown = _unknown_pcodes(cursor, "staging_population", edition, level)
        if unknown:
            _raise_unknown(unknown, edition, level)
        cursor.execute(
            """
            WITH merged AS (
              INSERT INTO regions_population AS p (unit_id, year, female, male, total, source)
              SELECT u.id, s.year, s.female, s.male, s.total, %(source)s
              FROM staging_population s
              JOIN regions_adminunit u ON u.edition_id = %(edition)s AND u.level = %(level)s AND u.pcode = s.pcode
              ON CONFLICT ON CONSTRAINT population_one_per_unit_year DO UPDATE SET
                female = EXCLUDED.female, male = EXCLUDED.male, total = EXCLUDED.total, source = EXCLUDED.source
              WHERE (p.female, p.male, p.total, p.source)
                IS DISTINCT FROM (EXCLUDED.female, EXCLUDED.male, EXCLUDED.total, EXCLUDED.source)
              RETURNING (xmax = 0) AS created
            )
            SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM merged
            """,
            {"edition": edition.id, "level": level, "source": source},
        )
        counts = _counts(cursor, len(rows))
        rolled_up = 0
        for parent_level in range(level - 1, -1, -1):
            cursor.execute(
                """
                INSERT INTO regions_population AS p (unit_id, year, female, male, total, source)
                SELECT child.parent_id, cp.year, sum(cp.female), sum(cp.male), sum(cp.total), %(source)s
                FROM regions_population cp
                JOIN regions_adminunit child ON child.id = cp.unit_id
                WHERE child.edition_id = %(edition)s AND child.level = %(child_level)s
                  AND child.parent_id IS NOT NULL
                GROUP BY child.parent_id, cp.year
                ON CONFLICT ON CONSTRAINT population_one_per_unit_year DO UPDATE SET
                  female = EXCLUDED.female, male = EXCLUDED.male, total = EXCLUDED.total, source = EXCLUDED.source
                WHERE (p.female, p.male, p.total, p.source)
                  IS DISTINCT FROM (EXCLUDED.female, EXCLUDED.male, EXCLUDED.total, EXCLUDED.source)
                """,
                {"edition": edition.id, "child_level": parent_level + 1, "source": source + " (sum)"},
            )
            rolled_up += cursor.rowcount
    if counts.created or counts.updated or rolled_up:  # the layers show the population
        rendered_layers_invalidate(edition)
    return counts


def pcode_aliases_upsert(*, edition: Edition, level: int, scheme: str, rows: list[tuple]) -> LoadCounts:
    """Upserts the codes of another P-code scheme: rows are (pcode in the edition's scheme, alias, alias name)."""
    with connection.cursor() as cursor:
        _stage(cursor, "staging_alias", "pcode text, alias text, alias_name text", "%s, %s, %s", rows)
        unknown = _unknown_pcodes(cursor, "staging_alias", edition, level)
        if unknown:
            _raise_unknown(unknown, edition, level)
        cursor.execute(
            """
            WITH merged AS (
              INSERT INTO regions_pcodealias AS a (edition_id, unit_id, scheme, pcode, name)
              SELECT %(edition)s, u.id, %(scheme)s, s.alias, coalesce(s.alias_name, '')
              FROM staging_alias s
              JOIN regions_adminunit u ON u.edition_id = %(edition)s AND u.level = %(level)s AND u.pcode = s.pcode
              ON CONFLICT ON CONSTRAINT alias_unique_in_scheme DO UPDATE SET
                unit_id = EXCLUDED.unit_id, name = EXCLUDED.name
              WHERE (a.unit_id, a.name) IS DISTINCT FROM (EXCLUDED.unit_id, EXCLUDED.name)
              RETURNING (xmax = 0) AS created
            )
            SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM merged
            """,
            {"edition": edition.id, "level": level, "scheme": scheme},
        )
        return _counts(cursor, len(rows))


def localities_upsert(*, edition: Edition, rows: list[tuple]) -> LoadCounts:
    """Upserts localities: rows are (pcode, name, name_normalised, alt_names, place_class, commune_pcode,
    point_wkb). The commune comes from the row's commune P-code, or, when that is missing or unknown,
    from the commune polygon that contains the point (in PostGIS)."""
    with connection.cursor() as cursor:
        _stage(
            cursor, "staging_localities",
            "pcode text, name text, name_normalised text, alt_names text[], place_class int, commune_pcode text,"
            " geom geometry(Point, 4326)",
            "%s, %s, %s, %s, %s, %s, ST_GeomFromWKB(%s, 4326)",
            rows,
        )
        cursor.execute("CREATE INDEX ON staging_localities USING gist (geom)")
        cursor.execute(
            """
            WITH resolved AS (
              SELECT s.*, coalesce(
                (SELECT u.id FROM regions_adminunit u
                 WHERE u.edition_id = %(edition)s AND u.level = 3 AND u.pcode = s.commune_pcode),
                (SELECT u.id FROM regions_adminunit u
                 WHERE u.edition_id = %(edition)s AND u.level = 3 AND ST_Intersects(u.geom, s.geom)
                 ORDER BY u.pcode LIMIT 1)) AS commune_id
              FROM staging_localities s
            ), merged AS (
              INSERT INTO regions_locality AS l (edition_id, pcode, name, name_normalised, alt_names, place_class,
                  commune_id, geom)
              SELECT %(edition)s, r.pcode, r.name, r.name_normalised, r.alt_names, r.place_class, r.commune_id, r.geom
              FROM resolved r
              ON CONFLICT ON CONSTRAINT locality_pcode_unique_in_edition DO UPDATE SET
                name = EXCLUDED.name, name_normalised = EXCLUDED.name_normalised, alt_names = EXCLUDED.alt_names,
                place_class = EXCLUDED.place_class, commune_id = EXCLUDED.commune_id, geom = EXCLUDED.geom
              WHERE (l.name, l.name_normalised, l.alt_names, l.place_class, l.commune_id, ST_AsBinary(l.geom))
                IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.name_normalised, EXCLUDED.alt_names, EXCLUDED.place_class,
                                  EXCLUDED.commune_id, ST_AsBinary(EXCLUDED.geom))
              RETURNING (xmax = 0) AS created
            )
            SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM merged
            """,
            {"edition": edition.id},
        )
        return _counts(cursor, len(rows))
