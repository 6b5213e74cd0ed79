"""Reads of interventions and zones, always through the audience's visibility (organisations/access/).

Zone GeoJSON is built by PostGIS in one query; which geometry a person sees (exact zone, or whole communes for
a coarse intervention seen by the public) is decided in that query, never after.
"""
import datetime as dt
import json
from dataclasses import dataclass

from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import Q, QuerySet

from geo_backend.organisations.access import (
    VISITOR,
    Audience,
    editable_interventions_q,
    own_interventions_q,
    precise_geometry_q,
    precise_geometry_sql,
    validatable_interventions_q,
    visible_interventions_q,
)
from geo_backend.taxonomy.models import Theme

from .models import Intervention

GEOJSON_PRECISION = 5  # about 1 m
# The map's lighter zones: simplified to about 200 m and rounded to about 10 m, enough at regional zoom and a
# quarter of the bytes for a phone on a slow link. The API gives full geometries unless asked.
WEB_TOLERANCE_DEG = 0.005
WEB_PRECISION = 3


@dataclass
class InterventionFilters:
    """Filters shared by the intervention list, the zone GeoJSON, the map and the analytics."""

    themes: list[str] | None = None  # theme codes; a domain includes its sub-domains
    organisation: int | None = None
    network: int | None = None  # interventions of the network's accepted members, or declared by it
    area: str | None = None  # P-code of any level: zones touching a commune inside it
    active_on: dt.date | None = None
    active_from: dt.date | None = None
    active_to: dt.date | None = None
    status: str | None = None
    validation_state: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # lon_min, lat_min, lon_max, lat_max
    funder: int | None = None


def theme_codes_with_children(codes: list[str]) -> list[str]:
    return list(Theme.objects.filter(Q(code__in=codes) | Q(parent__code__in=codes)).values_list("code", flat=True))


def interventions_visible(audience: Audience, filters: InterventionFilters | None = None, *,
                          for_analytics: bool = False) -> QuerySet:
    """The interventions this audience may see (or count, for_analytics), narrowed by the filters."""
    queryset = Intervention.objects.filter(visible_interventions_q(audience, for_analytics=for_analytics))
    f = filters or InterventionFilters()
    if f.themes:
        queryset = queryset.filter(themes__code__in=theme_codes_with_children(f.themes))
    if f.organisation:
        queryset = queryset.filter(organisation_id=f.organisation)
    if f.network:
        queryset = queryset.filter(
            Q(organisation__network_links__network_id=f.network, organisation__network_links__status="accepted")
            | Q(declared_by_network_id=f.network)
        )
    if f.area:
        code = f.area.upper()
        queryset = queryset.filter(
            Q(zones__commune_shares__commune__pcode=code)
            | Q(zones__commune_shares__commune__parent__pcode=code)
            | Q(zones__commune_shares__commune__parent__parent__pcode=code)
            | Q(zones__commune_shares__commune__parent__parent__parent__pcode=code)
        )
    if f.active_on:
        f.active_from = f.active_to = f.active_on
    if f.active_from:
        queryset = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=f.active_from))
    if f.active_to:
        queryset = queryset.filter(Q(start_date__isnull=True) | Q(start_date__lte=f.active_to))
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.validation_state:
        queryset = queryset.filter(validation_state=f.validation_state)
    if f.funder:
        queryset = queryset.filter(funders__id=f.funder)
    if f.bbox:
        # Match what the audience is shown: a coarse zone by its communes, never by its hidden exact shape.
        box = Polygon.from_bbox(f.bbox)
        exact = precise_geometry_q(audience, for_analytics=for_analytics)
        queryset = queryset.filter((exact & Q(zones__geom__bboverlaps=box))
                                   | (~exact & Q(zones__coarse_geom__bboverlaps=box)))
    return queryset.distinct()


def intervention_groups(intervention_ids, *, by: str, groups: list[int]) -> list[tuple[int, int]]:
    """(network or funder id, intervention id) for these interventions and groups, by the rule of the network and
    funder filters of interventions_visible: a network holds its accepted members' interventions and those it
    declared; a funder, those it funds. One query, for roll-ups that measure every group at once."""
    if by == "network":
        members = Intervention.objects.filter(
            id__any=intervention_ids, organisation__network_links__status="accepted",
            organisation__network_links__network_id__in=groups,
        ).order_by().values_list("organisation__network_links__network_id", "id")
        declared = Intervention.objects.filter(id__any=intervention_ids, declared_by_network_id__in=groups
                                               ).order_by().values_list("declared_by_network_id", "id")
        return sorted(set(members.union(declared)))
    if by == "funder":
        links = Intervention.funders.through.objects.filter(intervention_id__any=intervention_ids,
                                                            funder_id__in=groups)
        return sorted(set(links.values_list("funder_id", "intervention_id")))
    raise ValueError(f"unknown grouping: {by}")


def intervention_periods(intervention_ids) -> list[tuple[int, dt.date | None, dt.date | None]]:
    """(id, start date, end date) of these interventions (either date may be open)."""
    return list(Intervention.objects.filter(id__any=intervention_ids).order_by().values_list(
        "id", "start_date", "end_date"))


def interventions_editable(audience: Audience) -> QuerySet:
    """The declarations this person may open in the zone editor and change (access.can_edit_intervention)."""
    return Intervention.objects.filter(editable_interventions_q(audience))


def interventions_of_my_organisations(audience: Audience) -> QuerySet:
    """The declarations this person works on in her space: her organisations' own, and those her networks declared
    for their members (an administrator's powers over every other declaration aside), most recent first."""
    if audience.is_visitor:
        return Intervention.objects.none()
    return (Intervention.objects.filter(own_interventions_q(audience)).select_related("organisation")
            .order_by("-updated_at"))


def interventions_awaiting_validation(audience: Audience) -> QuerySet:
    """The submitted declarations this person may validate or reject, oldest first: her validation queue (and its
    length, the count her space shows)."""
    return (Intervention.objects.filter(validatable_interventions_q(audience),
                                        validation_state=Intervention.Validation.SUBMITTED)
            .select_related("organisation").order_by("updated_at", "id"))


def validated_interventions_dates() -> tuple[dt.date | None, dt.date | None, dt.date | None]:
    """The earliest start, latest start and latest end of the interventions published on the platform (what anyone
    may see: validated, public or coarse, of active organisations): the bounds of the dashboard's period."""
    from django.db.models import Max, Min

    found = Intervention.objects.filter(visible_interventions_q(VISITOR)).aggregate(
        first=Min("start_date"), last_start=Max("start_date"), last_end=Max("end_date"))
    return found["first"], found["last_start"], found["last_end"]


THEMES_SQL = """(SELECT coalesce(json_agg(t.code ORDER BY t.code), '[]'::json)
                FROM zones_intervention_themes it JOIN taxonomy_theme t ON t.id = it.theme_id
                WHERE it.intervention_id = i.id)"""
FULL_PROPERTIES = f"""json_build_object(
  'zone', p.id, 'zone_version', p.version, 'method', p.method, 'label', p.label,
  'precision', CASE WHEN p.precise THEN 'exact' ELSE 'communes' END,
  'area_km2', CASE WHEN p.precise THEN round(p.area_km2::numeric, 2) END,
  'intervention', i.id, 'title', i.title, 'status', i.status,
  'validation_state', i.validation_state, 'sensitivity', i.sensitivity,
  'start_date', i.start_date, 'end_date', i.end_date, 'is_demo', i.is_demo,
  'organisation', json_build_object('id', o.id, 'name', o.name, 'acronym', o.acronym, 'slug', o.slug),
  'themes', {THEMES_SQL})"""
# What the map's popups and colours need, nothing more (the rest is one click away in the API).
MAP_PROPERTIES = f"""json_build_object(
  'zone', p.id, 'intervention', i.id, 'title', i.title, 'is_demo', i.is_demo,
  'precision', CASE WHEN p.precise THEN 'exact' ELSE 'communes' END,
  'organisation', json_build_object('name', o.name, 'slug', o.slug), 'themes', {THEMES_SQL})"""


def zone_place_clause(filters: InterventionFilters | None, precise_sql: str, precise_params: list, *,
                      zone_id: int | None = None) -> tuple[str, list]:
    """SQL narrowing the zones (alias z) of visible interventions to the asked place, and its params.

    Filters on place apply to each zone too: an intervention in Kayes and Ségou shows only its Kayes zone when asked
    for Kayes; a bounding box meets the geometry the audience is shown."""
    zone_clauses, zone_params = [], []
    if zone_id is not None:
        zone_clauses.append("z.id = %s")
        zone_params.append(zone_id)
    if filters is not None and filters.area:
        zone_clauses.append("""z.id IN (SELECT zc.zone_id FROM zones_zonecommune zc
                                 JOIN regions_adminunit c ON c.id = zc.commune_id
                                 LEFT JOIN regions_adminunit p ON p.id = c.parent_id
                                 LEFT JOIN regions_adminunit g ON g.id = p.parent_id
                                 WHERE upper(%s) IN (c.pcode, p.pcode, g.pcode))""")
        zone_params.append(filters.area)
    if filters is not None and filters.bbox:
        zone_clauses.append(f"(CASE WHEN ({precise_sql}) THEN z.geom ELSE z.coarse_geom END)"
                            " && ST_MakeEnvelope(%s, %s, %s, %s, 4326)")
        zone_params.extend([*precise_params, *filters.bbox])
    return "".join(f" AND {clause}" for clause in zone_clauses), zone_params


def zones_feature_collection(audience: Audience, filters: InterventionFilters | None = None, *,
                             limit: int = 200, offset: int = 0, zone_id: int | None = None,
                             web_geometry: bool = False, next_url: str | None = None,
                             previous_url: str | None = None) -> tuple[str, int]:
    """Visible zones as a GeoJSON FeatureCollection (text) and the total count, built by PostGIS.

    The collection carries the paging members too: count, next (next_url, when zones follow this page) and
    previous (previous_url). A coarse intervention seen by someone not allowed the exact zone gets the union of
    the communes it touches.
    """
    ids_sql, ids_params = interventions_visible(audience, filters).order_by().values("id").query.sql_with_params()
    precise_sql, precise_params = precise_geometry_sql(audience, "i")
    zone_clause, zone_params = zone_place_clause(filters, precise_sql, precise_params, zone_id=zone_id)
    shape = "CASE WHEN p.precise THEN p.geom ELSE p.coarse_geom END"
    properties = FULL_PROPERTIES
    if web_geometry:
        shape = f"ST_SimplifyPreserveTopology({shape}, {WEB_TOLERANCE_DEG})"
        properties = MAP_PROPERTIES
    sql = f"""
        WITH visible AS (
          SELECT z.id, z.intervention_id, z.method, z.label, z.area_km2, z.version, z.geom, z.coarse_geom,
                 ({precise_sql}) AS precise
          FROM zones_zone z
          JOIN zones_intervention i ON i.id = z.intervention_id
          WHERE z.intervention_id IN ({ids_sql}){zone_clause}
        ), page AS (
          SELECT * FROM visible ORDER BY intervention_id, id LIMIT %s OFFSET %s
        )
        SELECT (SELECT count(*) FROM visible),
               json_build_object(
                 'type', 'FeatureCollection', 'count', (SELECT count(*) FROM visible),
                 'next', CASE WHEN %s::bigint + %s::bigint < (SELECT count(*) FROM visible) THEN %s::text END,
                 'previous', %s::text,
                 'features', coalesce(json_agg(
                 json_build_object(
                   'type', 'Feature',
                   'id', p.id,
                   'geometry', ST_AsGeoJSON({shape}, %s)::json,
                   'properties', {properties}
                 ) ORDER BY p.intervention_id, p.id), '[]'::json))::text
        FROM page p
        JOIN zones_intervention i ON i.id = p.intervention_id
        JOIN organisations_organisation o ON o.id = i.organisation_id
    """
    params = [*precise_params, *ids_params, *zone_params, limit, offset, offset, limit, next_url, previous_url,
              WEB_PRECISION if web_geometry else GEOJSON_PRECISION]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, collection = cursor.fetchone()
    return collection, count


def intervention_as_dict(intervention: Intervention) -> dict:
    """The JSON shape of one intervention (the caller has checked it is visible)."""
    return {
        "id": intervention.id,
        "version": intervention.version,
        "organisation": {"id": intervention.organisation_id, "name": intervention.organisation.name},
        "declared_by_network": intervention.declared_by_network_id,
        "title": intervention.title,
        "description": intervention.description,
        "themes": sorted(t.code for t in intervention.themes.all()),
        "action_kinds": sorted(a.code for a in intervention.action_kinds.all()),
        "target_groups": sorted(g.code for g in intervention.target_groups.all()),
        "funders": sorted(f.name for f in intervention.funders.all()),
        "partners": sorted(p.id for p in intervention.partners.all()),
        "start_date": intervention.start_date,
        "end_date": intervention.end_date,
        "status": intervention.status,
        "gender_marker": intervention.gender_marker,
        "women_targeted": intervention.women_targeted,
        "women_reached": intervention.women_reached,
        "sensitivity": intervention.sensitivity,
        "validation_state": intervention.validation_state,
        "rejection_reason": intervention.rejection_reason,
        "last_confirmed_on": intervention.last_confirmed_on,
        "is_demo": intervention.is_demo,
        "zones": [z.id for z in intervention.zones.all()],
        "updated_at": intervention.updated_at,
    }


def intervention_list(audience: Audience, filters: InterventionFilters, *, limit: int, offset: int
                      ) -> tuple[list[dict], int]:
    """One page of visible interventions, with their relations fetched in a constant number of queries."""
    queryset = interventions_visible(audience, filters).select_related("organisation").prefetch_related(
        "themes", "action_kinds", "target_groups", "funders", "partners", "zones").order_by("-updated_at", "id")
    return [intervention_as_dict(i) for i in queryset[offset:offset + limit]], queryset.count()


def zone_preview(*, edition, method: str, geometry=None, unit_pcodes=None, locality_pcode=None,
                 radius_km=None) -> dict:
    """What a zone would be, without saving it: its geometry (clipped to Mali), area and the communes it touches
    with the share of each, cut by the same rule as saving (zone_sql.commune_pieces_sql). Validation errors are
    the same as when saving."""
    from .zone_sql import commune_pieces_sql, outside_mali, zone_geometry_sql

    sql, params, repairs, _unit_ids, _locality = zone_geometry_sql(
        edition=edition, method=method, geometry=geometry, unit_pcodes=unit_pcodes,
        locality_pcode=locality_pcode, radius_km=radius_km)
    pieces = commune_pieces_sql("SELECT NULL::bigint AS id, %s::bigint AS edition_id, zone.geom FROM zone")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH zone AS (SELECT {sql} AS geom), pieces AS ({pieces})
            SELECT ST_IsEmpty(zone.geom), ST_AsGeoJSON(zone.geom, %s)::text, musoya_area_km2(zone.geom),
                   (SELECT coalesce(json_agg(json_build_object('pcode', c.pcode, 'name', c.name, 'share', p.share)
                                             ORDER BY c.pcode), '[]'::json)::text
                    FROM pieces p JOIN regions_adminunit c ON c.id = p.commune_id)
            FROM zone
            """,
            [*params, edition.id, GEOJSON_PRECISION],
        )
        empty, geometry_json, area_km2, communes_json = cursor.fetchone()
    if empty:
        raise outside_mali()
    # Shares rounded as the saved zone's answer rounds them (api_views.zone_response).
    communes = [{**commune, "share": round(commune["share"], 4)} for commune in json.loads(communes_json)]
    return {"type": "Feature", "geometry": json.loads(geometry_json),
            "properties": {"area_km2": round(area_km2, 3), "communes": communes, "repairs": repairs}}
