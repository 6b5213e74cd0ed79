"""The database views the OGC API - Features endpoint (pygeoapi) reads: what a visitor may see, and nothing else.

The zones view is generated from the visitor's rules in organisations/access/ (visible_interventions_q and
precise_geometry_sql), never written by hand, and recreated after every migrate so it follows those rules:
validated public interventions with their exact zone, coarse ones as the whole communes they touch, restricted
ones not at all. Admin units (one view per level, web geometry) and localities are public reference data.
"""
from django.db import connection

from geo_backend.organisations.access import VISITOR, precise_geometry_sql, visible_interventions_q
from geo_backend.zones.models import Intervention

ZONES_VIEW = "exchange_ogc_zones"
UNIT_VIEWS = {1: "exchange_ogc_regions", 2: "exchange_ogc_cercles", 3: "exchange_ogc_communes"}
LOCALITIES_VIEW = "exchange_ogc_localities"


def _visitor_interventions_sql() -> str:
    sql, params = Intervention.objects.filter(visible_interventions_q(VISITOR)).order_by().values("id") \
        .query.sql_with_params()
    return connection.ops.compose_sql(sql, params)


def views_sql() -> list[str]:
    precise, precise_params = precise_geometry_sql(VISITOR, "i")
    precise = connection.ops.compose_sql(precise, precise_params) if precise_params else precise
    statements = [
        f"""CREATE OR REPLACE VIEW {ZONES_VIEW} AS
        SELECT z.id AS zone, i.id AS intervention, i.title, o.name AS organisation, o.acronym,
               (SELECT string_agg(t.code, '; ' ORDER BY t.code) FROM zones_intervention_themes it
                JOIN taxonomy_theme t ON t.id = it.theme_id WHERE it.intervention_id = i.id) AS themes,
               i.status, i.start_date::text AS start_date, i.end_date::text AS end_date, i.is_demo,
               CASE WHEN {precise} THEN 'exact' ELSE 'communes' END AS precision,
               CASE WHEN {precise} THEN z.geom ELSE z.coarse_geom END AS geom
        FROM zones_zone z
        JOIN zones_intervention i ON i.id = z.intervention_id
        JOIN organisations_organisation o ON o.id = i.organisation_id
        WHERE i.id IN ({_visitor_interventions_sql()})""",
    ]
    for level, view in UNIT_VIEWS.items():
        statements.append(f"""CREATE OR REPLACE VIEW {view} AS
        SELECT u.pcode, u.name, u.level, p.pcode AS parent_pcode, e.slug AS edition,
               round(u.area_km2::numeric, 1) AS area_km2, u.web_geom AS geom
        FROM regions_adminunit u JOIN regions_edition e ON e.id = u.edition_id
        LEFT JOIN regions_adminunit p ON p.id = u.parent_id
        WHERE u.level = {level} AND e.is_default""")
    statements.append(f"""CREATE OR REPLACE VIEW {LOCALITIES_VIEW} AS
        SELECT l.pcode, l.name, l.place_class, c.pcode AS commune_pcode, l.geom
        FROM regions_locality l JOIN regions_edition e ON e.id = l.edition_id
        LEFT JOIN regions_adminunit c ON c.id = l.commune_id
        WHERE e.is_default""")
    return statements


def ogc_views_refresh(**_kwargs) -> None:
    """(Re)creates the views (a post_migrate receiver: the zones view then follows the current rules of
    organisations/access/)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP VIEW IF EXISTS {ZONES_VIEW}")  # its columns may have changed
        for statement in views_sql():
            cursor.execute(statement)
