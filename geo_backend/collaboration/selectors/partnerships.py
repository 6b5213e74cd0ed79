"""Reads of partnerships, through organisations/access/: accepted ones are public, the rest (proposals, refusals,
messages, history) belongs to the two organisations."""
import json

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet

from geo_backend.organisations.access import Audience, partnership_parties_q, visible_partnerships_q
from geo_backend.regions.selectors import WEB_PRECISION

from ..models import Partnership

# (organisation a < organisation b, commune, theme domain) covered by an accepted partnership. An area of any level
# covers the communes inside it; a sub-domain theme counts for its domain, as the overlaps count themes. Used by the
# analytics overlaps selector to tell coordinated overlaps from uncoordinated ones.
ACCEPTED_PARTNERSHIP_COVERAGE_SQL = """
  SELECT DISTINCT least(p.proposer_id, p.partner_id) AS organisation_a,
         greatest(p.proposer_id, p.partner_id) AS organisation_b,
         c.id AS commune_id, coalesce(parent.code, t.code) AS domain
  FROM collaboration_partnership p
  JOIN collaboration_partnership_areas pa ON pa.partnership_id = p.id
  JOIN regions_adminunit area ON area.id = pa.adminunit_id
  JOIN regions_adminunit c ON c.level = 3 AND c.edition_id = area.edition_id
  LEFT JOIN regions_adminunit cercle ON cercle.id = c.parent_id
  JOIN collaboration_partnership_themes pt ON pt.partnership_id = p.id
  JOIN taxonomy_theme t ON t.id = pt.theme_id
  LEFT JOIN taxonomy_theme parent ON parent.id = t.parent_id
  WHERE p.status = 'accepted'
    AND (c.id = area.id OR c.parent_id = area.id OR cercle.parent_id = area.id)
"""


def partnerships_stamp() -> tuple:
    """(number, last change) of the accepted and ended partnerships: changes whenever one is accepted or ended, so
    that a cached overlap report (dashboard) never shows a stale "coordinated" column."""
    found = Partnership.objects.filter(status__in=["accepted", "ended"]).aggregate(n=Count("id"),
                                                                                   last=Max("updated_at"))
    return found["n"], found["last"]


def partnerships_visible(audience: Audience) -> QuerySet:
    return (Partnership.objects.filter(visible_partnerships_q(audience))
            .select_related("proposer", "partner").prefetch_related("areas", "themes"))


def partnerships_search(audience: Audience, *, organisation: int | None = None, status: str | None = None,
                        theme: str | None = None, area: str | None = None) -> QuerySet:
    """Partnerships this person may see, of an organisation (either side), in a state, on a theme (a domain
    includes its sub-domains) or touching a place (P-code of any level)."""
    queryset = partnerships_visible(audience)
    if organisation:
        queryset = queryset.filter(Q(proposer_id=organisation) | Q(partner_id=organisation))
    if status:
        queryset = queryset.filter(status=status)
    if theme:
        queryset = queryset.filter(Q(themes__code=theme) | Q(themes__parent__code=theme))
    if area:
        code = area.upper()
        queryset = queryset.filter(Q(areas__pcode=code) | Q(areas__parent__pcode=code)
                                   | Q(areas__parent__parent__pcode=code) | Q(areas__children__pcode=code)
                                   | Q(areas__children__children__pcode=code))
    return queryset.distinct().order_by("-updated_at", "-id")


def is_party(audience: Audience, partnership: Partnership) -> bool:
    return Partnership.objects.filter(partnership_parties_q(audience), pk=partnership.pk).exists()


def partnership_as_dict(audience: Audience, partnership: Partnership, *, party: bool | None = None) -> dict:
    """A partnership as this person may read it: the message and the history only for the two organisations."""
    party = is_party(audience, partnership) if party is None else party
    data = {
        "id": partnership.id,
        "version": partnership.version,
        "proposer": {"id": partnership.proposer_id, "name": partnership.proposer.name,
                     "slug": partnership.proposer.slug},
        "partner": {"id": partnership.partner_id, "name": partnership.partner.name, "slug": partnership.partner.slug},
        "role": partnership.role,
        "role_label": str(partnership.get_role_display()),
        "status": partnership.status,
        "areas": [{"pcode": a.pcode, "name": a.name, "level": a.level} for a in partnership.areas.all()],
        "themes": sorted(t.code for t in partnership.themes.all()),
        "since": partnership.since,
        "until": partnership.until,
        "is_demo": partnership.is_demo,
    }
    if party:
        data["message"] = partnership.message
        data["history"] = [
            {"kind": entry.kind, "organisation": entry.organisation.name, "at": entry.at, "note": entry.note,
             "by": entry.user.get_username() if entry.user else None}
            for entry in partnership.log.select_related("organisation", "user")
        ]
    return data


def partnerships_of_organisation(audience: Audience, organisation_id: int) -> list[Partnership]:
    """The accepted partnerships of an organisation (its profile), with the other side first."""
    return list(partnerships_visible(audience).filter(status=Partnership.Status.ACCEPTED)
                .filter(Q(proposer_id=organisation_id) | Q(partner_id=organisation_id)).order_by("-since", "-id"))


def partnerships_feature_collection(audience: Audience) -> str:
    """The accepted partnerships this person may see, one GeoJSON feature each: the union of their places' web
    geometries, built by PostGIS."""
    ids = list(partnerships_visible(audience).filter(status=Partnership.Status.ACCEPTED).values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT coalesce(json_agg(json_build_object(
              'type', 'Feature', 'id', p.id,
              'geometry', ST_AsGeoJSON(g.geom, %s)::json,
              'properties', json_build_object('id', p.id, 'role', p.role, 'since', p.since,
                                              'organisations', json_build_array(a.name, b.name),
                                              'slugs', json_build_array(a.slug, b.slug))) ORDER BY p.id), '[]')
            FROM collaboration_partnership p
            JOIN organisations_organisation a ON a.id = p.proposer_id
            JOIN organisations_organisation b ON b.id = p.partner_id
            CROSS JOIN LATERAL (
              SELECT ST_Multi(ST_Union(u.web_geom)) AS geom FROM collaboration_partnership_areas pa
              JOIN regions_adminunit u ON u.id = pa.adminunit_id WHERE pa.partnership_id = p.id) g
            WHERE p.id = ANY(%s)
            """,
            [WEB_PRECISION, ids],
        )
        (features,) = cursor.fetchone()
    return json.dumps({"type": "FeatureCollection", "features": features if isinstance(features, list)
                       else json.loads(features)})
