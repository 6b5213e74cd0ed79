"""The SQL that turns a zone request (drawn, picked units, or a radius around a locality) into a MultiPolygon
clipped to Mali. Shared by the services (which store it) and the preview (which only shows it)."""
from geo_backend.common.errors import DomainError
from geo_backend.regions.models import AdminUnit, Edition, Locality

from .geometry import parse_zone_geometry
from .models import Zone

MAX_RADIUS_KM = 100


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
