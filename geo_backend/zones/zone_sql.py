"""The SQL that turns a zone request (drawn, picked units, or a radius around a locality) into a MultiPolygon
clipped to Mali, and the rule that cuts a zone into commune pieces and their shares. Shared by the services (which
store them) and the preview (which only shows them), so that the two never disagree."""
from geo_backend.common.errors import DomainError
from geo_backend.regions.models import AdminUnit, Edition, Locality

from .geometry import parse_zone_geometry
from .models import Zone

MAX_RADIUS_KM = 100
# A piece under 0.01 percent of its zone is noise from drawing precision along a commune border (a metre-wide
# sliver), not an intervention in that commune. Relative to the zone, so that a very small zone keeps its communes.
MIN_PIECE_SHARE_OF_ZONE = 1e-4


def commune_pieces_sql(zones_sql: str, *, zone_area: str = "musoya_area_km2(zz.geom)") -> str:
    """SQL selecting (zone_id, commune_id, share, area_km2, piece, covers_commune) for the zones that `zones_sql`
    selects (columns id, edition_id, geom, and area_km2 when `zone_area` reads it): each commune of the zone's
    edition it touches, the piece of the zone inside it, the share of the commune's area that piece covers, and
    whether the piece is the whole commune. The one rule for saving and previewing."""
    return f"""
        SELECT z.id AS zone_id, c.id AS commune_id, LEAST(1.0, x.area_km2 / c.area_km2) AS share, x.area_km2, x.piece,
               x.covers_commune
        -- The zone's own area once per zone (OFFSET 0 keeps it from being recomputed for each commune: for a
        -- country-wide zone that was 45 ms times 700 communes).
        FROM (SELECT zz.id, zz.edition_id, zz.geom, {zone_area} AS area_km2
              FROM ({zones_sql}) zz OFFSET 0) z
        JOIN regions_adminunit c ON c.edition_id = z.edition_id AND c.level = 3 AND ST_Intersects(z.geom, c.geom)
        -- A commune the zone covers is its own piece, and so is a zone inside one commune: neither needs the overlay
        -- nor a new area measure (about 1 ms and 0.4 ms a pair at 20,000 zones), and the result is exactly the
        -- intersection. Whole-commune pieces are then byte-identical, which the coverage atoms count once.
        -- OFFSET 0 keeps each step computed once: pulled up, the planner copied the overlay into every use of it
        -- (the select list and both conditions below), three overlays and two area measures a pair.
        CROSS JOIN LATERAL (
          SELECT p.piece, CASE p.whole WHEN 'commune' THEN c.area_km2 WHEN 'zone' THEN z.area_km2
                          ELSE musoya_area_km2(p.piece) END AS area_km2,
                 p.whole IS NOT DISTINCT FROM 'commune' AS covers_commune
          FROM (
            SELECT w.whole, CASE w.whole WHEN 'commune' THEN c.geom WHEN 'zone' THEN ST_Multi(z.geom)
                            ELSE ST_Multi(ST_CollectionExtract(ST_Intersection(z.geom, c.geom), 3)) END AS piece
            FROM (SELECT CASE WHEN ST_Covers(z.geom, c.geom) THEN 'commune' WHEN ST_Covers(c.geom, z.geom) THEN 'zone'
                         END AS whole OFFSET 0) w
            OFFSET 0
          ) p
          OFFSET 0
        ) x
        WHERE x.area_km2 > 0 AND x.area_km2 >= {MIN_PIECE_SHARE_OF_ZONE} * z.area_km2
    """


def coarse_geometry_sql(commune_ids_sql: str) -> str:
    """What the public sees of a coarse zone: the union of (the web geometries of) the communes it touches."""
    return (f"(SELECT ST_Multi(ST_Union(c.web_geom)) FROM regions_adminunit c "
            f"WHERE c.id IN ({commune_ids_sql}))")


def _country_id(edition: Edition) -> int:
    country = AdminUnit.objects.filter(edition=edition, level=0).values_list("id", flat=True).first()
    if country is None:
        raise DomainError("boundaries_missing", "Les limites du pays ne sont pas chargées.",
                          "The country boundary is not loaded.", status_code=503)
    return country


def outside_mali() -> DomainError:
    return DomainError("geometry_outside_mali", "La zone est entièrement hors du Mali.",
                       "The zone lies entirely outside Mali.")


def zone_geometry_sql(*, edition: Edition, method: str, geometry, unit_pcodes, locality_pcode, radius_km):
    """Returns (sql, params, notes, picked_unit_ids, locality) where sql selects the zone's MultiPolygon."""
    country = _country_id(edition)
    clip = "ST_Multi(ST_CollectionExtract(ST_Intersection({g}, (SELECT geom FROM regions_adminunit WHERE id = %s)), 3))"
    if method == Zone.Method.DRAWN:
        if geometry is None:
            raise DomainError("geometry_required", "Dessinez la zone.", "Draw the zone.")
        parsed = parse_zone_geometry(geometry)
        return clip.format(g="ST_GeomFromEWKB(%s)"), [bytes(parsed.geom.ewkb), country], parsed.repairs, [], None
    if method == Zone.Method.PICKED:
        pcodes = sorted({code.strip().upper() for code in unit_pcodes or [] if code and code.strip()})
        if not pcodes:
            raise DomainError("units_required", "Choisissez au moins une région, un cercle ou une commune.",
                              "Pick at least one region, cercle or commune.")
        units = dict(AdminUnit.objects.filter(edition=edition, pcode__in=pcodes, level__in=[1, 2, 3, 4])
                     .values_list("pcode", "id"))
        unknown = [code for code in pcodes if code not in units]
        if unknown:
            raise DomainError("pcode_unknown",
                              f"Unités inconnues dans l'édition {edition.name} : {', '.join(unknown)}.",
                              f"Unknown units in edition {edition.name}: {', '.join(unknown)}.",
                              details={"unknown_pcodes": unknown})
        ids = list(units.values())
        sql = "(SELECT ST_Multi(ST_Union(geom)) FROM regions_adminunit WHERE id = ANY(%s))"
        return sql, [ids], [], ids, None
    if method == Zone.Method.BUFFER:
        locality = Locality.objects.filter(edition=edition, pcode=(locality_pcode or "").upper()).first()
        if locality is None:
            raise DomainError("locality_unknown", "Localité introuvable.", "Locality not found.")
        if radius_km is None or not (0 < float(radius_km) <= MAX_RADIUS_KM):
            raise DomainError("radius_invalid", f"Le rayon doit être compris entre 0 et {MAX_RADIUS_KM} km.",
                              f"The radius must be between 0 and {MAX_RADIUS_KM} km.")
        buffered = "ST_Buffer((SELECT geom FROM regions_locality WHERE id = %s)::geography, %s)::geometry"
        return clip.format(g=buffered), [locality.id, float(radius_km) * 1000, country], [], [], locality
    raise DomainError("method_invalid", "Méthode de zone inconnue.", "Unknown zone method.")
