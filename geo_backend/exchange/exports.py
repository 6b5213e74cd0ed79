"""What an export contains: the 3W/4W table (one row per intervention and commune, with the P-codes of the
commune, its cercle and region) and the zones as features. Both are built from the same selectors as the API
(zones.selectors, organisations.access), so an export never shows more than the API would to the same person:
restricted interventions only to those allowed, coarse ones as whole communes.
"""
import json

from django.db import connection

from etl.hxl import admin_tag
from geo_backend.organisations.access import Audience
from geo_backend.organisations.models import Organisation
from geo_backend.zones.selectors import InterventionFilters, interventions_visible, zones_feature_collection

MAX_EXPORT_ZONES = 20_000

# (key, header, HXL hashtag or None). The headers are those the importer recognises, so an export imports back.
THREE_W_COLUMNS = [
    ("intervention", "Identifiant", "#activity+code"),
    ("organisation", "Organisation", "#org+name"),
    ("acronym", "Sigle", "#org+acronym"),
    ("organisation_type", "Type d'organisation", "#org+type"),
    ("title", "Intitulé", "#activity+name"),
    ("sectors", "Domaine", "#sector+code"),
    ("subsectors", "Sous-domaine", "#subsector+code"),
    ("theme_codes", "Codes des thèmes", None),
    ("action_kinds", "Types d'action", None),
    ("target_groups", "Groupes cibles", None),
    ("funders", "Bailleurs", "#org+funder+name"),
    ("region", "Région", admin_tag(1, "name")),
    ("region_pcode", "P-code région", admin_tag(1, "code")),
    ("cercle", "Cercle", admin_tag(2, "name")),
    ("cercle_pcode", "P-code cercle", admin_tag(2, "code")),
    ("commune", "Commune", admin_tag(3, "name")),
    ("commune_pcode", "P-code commune", admin_tag(3, "code")),
    ("start_date", "Date de début", "#date+start"),
    ("end_date", "Date de fin", "#date+end"),
    ("status", "Statut", "#status"),
    ("women_targeted", "Femmes ciblées", "#targeted+f"),
    ("women_reached", "Femmes atteintes", "#reached+f"),
    ("gender_marker", "Marqueur genre CAD", None),
    ("sensitivity", "Sensibilité", None),
    ("validation_state", "État de validation", None),
    ("is_demo", "Exemple fictif", None),
]


def three_w_rows(audience: Audience, filters: InterventionFilters | None = None) -> list[dict]:
    """One row per visible intervention and commune its zones touch (3W/4W layout), ordered by intervention."""
    ids_sql, ids_params = interventions_visible(audience, filters).order_by().values("id").query.sql_with_params()
    area_clause, area_params = "", []
    if filters is not None and filters.area:
        area_clause = " AND upper(%s) IN (m.pcode, c.pcode, r.pcode)"
        area_params = [filters.area]
    def codes(column: str, through: str, table: str, fk: str, where: str = "") -> str:
        return (f"(SELECT coalesce(array_agg(DISTINCT {column} ORDER BY {column}), '{{}}') FROM {through} x "
                f"JOIN {table} t ON t.id = x.{fk} LEFT JOIN {table} p ON p.id = t.parent_id "
                f"WHERE x.intervention_id = i.id{where})" if table == "taxonomy_theme" else
                f"(SELECT coalesce(array_agg(DISTINCT {column} ORDER BY {column}), '{{}}') FROM {through} x "
                f"JOIN {table} t ON t.id = x.{fk} WHERE x.intervention_id = i.id)")

    themes = ("zones_intervention_themes", "taxonomy_theme", "theme_id")
    sql = f"""
        SELECT i.id, o.name, o.acronym, o.kind, i.title,
               {codes("coalesce(p.code, t.code)", *themes)},
               {codes("t.code", *themes, where=" AND t.parent_id IS NOT NULL")},
               {codes("t.code", *themes)},
               {codes("t.code", "zones_intervention_action_kinds", "taxonomy_actionkind", "actionkind_id")},
               {codes("t.code", "zones_intervention_target_groups", "taxonomy_targetgroup", "targetgroup_id")},
               {codes("t.name", "zones_intervention_funders", "taxonomy_funder", "funder_id")},
               r.name, r.pcode, c.name, c.pcode, m.name, m.pcode,
               i.start_date, i.end_date, i.status, i.women_targeted, i.women_reached, i.gender_marker,
               i.sensitivity, i.validation_state, CASE WHEN i.is_demo THEN 'oui' ELSE 'non' END
        FROM zones_intervention i
        JOIN organisations_organisation o ON o.id = i.organisation_id
        JOIN (SELECT DISTINCT z.intervention_id, zc.commune_id FROM zones_zone z
              JOIN zones_zonecommune zc ON zc.zone_id = z.id) zc ON zc.intervention_id = i.id
        JOIN regions_adminunit m ON m.id = zc.commune_id
        LEFT JOIN regions_adminunit c ON c.id = m.parent_id
        LEFT JOIN regions_adminunit r ON r.id = c.parent_id
        WHERE i.id IN ({ids_sql}){area_clause}
        ORDER BY i.id, m.pcode
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids_params, *area_params])
        records = cursor.fetchall()
    kinds = dict(Organisation.OCHA_TYPES)
    keys = [key for key, _header, _tag in THREE_W_COLUMNS]
    rows = []
    for record in records:
        row = dict(zip(keys, record, strict=True))
        row["organisation_type"] = kinds.get(row["organisation_type"], "Civil Society")
        row["intervention"] = f"musoya-{row['intervention']}"  # imported back, it names this intervention again
        rows.append(row)
    return rows


def zones_features(audience: Audience, filters: InterventionFilters | None = None) -> dict:
    """The visible zones as a GeoJSON FeatureCollection, exactly as the API gives them to this audience."""
    collection, count = zones_feature_collection(audience, filters, limit=MAX_EXPORT_ZONES)
    return json.loads(collection)


def flat_properties(feature: dict) -> dict:
    """A zone's properties as flat columns (10 characters at most, for the Shapefile format)."""
    p = feature["properties"]
    organisation = p.get("organisation") or {}
    return {"zone": p["zone"], "interv": p["intervention"], "title": p["title"], "org_name": organisation.get("name"),
            "org_acro": organisation.get("acronym"), "themes": "; ".join(p.get("themes") or []),
            "status": p.get("status"), "start_date": p.get("start_date"), "end_date": p.get("end_date"),
            "precision": p.get("precision"), "sensitiv": p.get("sensitivity"),
            "validation": p.get("validation_state"), "area_km2": p.get("area_km2"), "method": p.get("method"),
            "is_demo": p.get("is_demo")}
