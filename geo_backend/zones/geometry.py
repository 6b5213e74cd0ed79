"""Validation of a zone geometry sent by a person (API or form), before anything touches the database.

The checks run on the raw GeoJSON first, because GEOS refuses or silently misreads some mistakes (open rings,
positions that are not numbers), and a person deserves to be told which one they made. Each refusal is a
DomainError with a stable code and a message in French and English; each automatic fix is reported as a "repair"
note (the API answer and the editor show them). The size is bounded (vertices, parts) before any geometry work, so
that no request can keep a worker busy for minutes. The exact clip against Mali's boundary happens later, in the
database: here only a cheap bounding-box check.
"""
import json
import math
import re
from dataclasses import dataclass, field
from typing import NoReturn

import shapely
from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.gdal.error import GDALException, SRSException
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon

from geo_backend.common.errors import DomainError

from .geometry_repair import EQUAL_AREA, repair_meaning

MAX_VERTICES = 50_000
# Parts of a MultiPolygon: a zone of 500 separate places is already unusual; 9,000 parts took 18.6 s to clip.
MAX_PARTS = 500
# Smaller than this a drawn zone is a slip of the mouse or a point sent as a polygon, not a place where women live:
# 1 m² (stored, it measured 0 km² and covered no commune).
MIN_AREA_KM2 = 1e-6
MALI_BOUNDS = (-12.3, 10.1, 4.3, 25.0)  # lon_min, lat_min, lon_max, lat_max (country extent, approx.)
WGS84 = 4326

NOT_POLYGON_TYPES = {"Point", "LineString", "MultiPoint", "MultiLineString"}
# Names a GeoJSON "crs" member may use for an EPSG code, and for WGS 84 in longitude/latitude order.
EPSG_NAME = re.compile(r"(?:urn:(?:x-)?ogc:def:crs:)?EPSG:(?:[\d.]*:)?(\d+)"
                       r"|https?://www\.opengis\.net/def/crs/EPSG/[\d.]+/(\d+)", re.IGNORECASE)
CRS84_NAME = re.compile(r"(?:urn:ogc:def:crs:OGC:(?:[\d.]*:)?|https?://www\.opengis\.net/def/crs/OGC/[\d.]+/|OGC:)?CRS84",
                        re.IGNORECASE)


@dataclass
class ParsedGeometry:
    geom: MultiPolygon  # SRID 4326, 2D, valid
    repairs: list[dict] = field(default_factory=list)  # each {"code": ..., "fr": ..., "en": ...}


def _refuse(code: str, fr: str, en: str, **details) -> NoReturn:
    raise DomainError(code, fr, en, details=details)


def parse_zone_geometry(data) -> ParsedGeometry:
    """Check a GeoJSON Polygon/MultiPolygon (dict or JSON string, bare or inside a Feature) and return it as a
    valid 2D MultiPolygon in EPSG:4326, with notes on the repairs made. Raises DomainError on anything else."""
    geometry, crs = _unwrap(_load(data))
    gtype = geometry.get("type")
    if not isinstance(gtype, str):
        _invalid_json("le membre « type » manque", 'the "type" member is missing')
    if gtype in NOT_POLYGON_TYPES:
        _refuse("geometry_not_polygon",
                f"La zone doit être un polygone (reçu : {gtype}). Dessinez une surface fermée autour de la zone.",
                f"The zone must be a polygon (got {gtype}). Draw a closed area around the zone.", type=gtype)
    if gtype == "GeometryCollection":
        _refuse("geometry_collection",
                "Les collections de géométries ne sont pas acceptées : envoyez un Polygon ou un MultiPolygon.",
                "Geometry collections are not accepted: send a Polygon or a MultiPolygon.")
    if gtype not in ("Polygon", "MultiPolygon") or "coordinates" not in geometry:
        _invalid_json(f"type inconnu ou coordonnées absentes ({gtype[:40]!r})",
                      f"unknown type or no coordinates ({gtype[:40]!r})")
    polygons, dimensions = _check_coordinates(gtype, geometry["coordinates"])
    geom = MultiPolygon(*(Polygon(*rings) for rings in polygons))
    repairs = []
    if dimensions > 2:
        repairs.append({"code": "altitude_dropped",
                        "fr": "Les altitudes (3e coordonnée des positions, des fichiers GPS ou KML) ont été ignorées : "
                              "la zone est enregistrée en 2D (longitude, latitude).",
                        "en": "The elevations (third coordinate of the positions, from GPS or KML files) were dropped: "
                              "the zone is stored in 2D (longitude, latitude)."})
    if crs is not None:
        srid = _crs_srid(crs)
        if srid != WGS84:
            geom = _reproject(geom, srid)
            repairs.append({"code": "reprojected",
                            "fr": f"Les coordonnées ont été converties de EPSG:{srid} en WGS 84 (longitude/latitude).",
                            "en": f"The coordinates were converted from EPSG:{srid} to WGS 84 (longitude/latitude)."})
    geom.srid = WGS84
    _check_extent(geom, crs_named=crs is not None)
    if not geom.valid:
        geom, notes = _repair(geom)
        repairs.extend(notes)
    _check_size(geom)
    return ParsedGeometry(geom=geom, repairs=repairs)


def _check_size(geom: MultiPolygon) -> None:
    area_m2 = geom.transform(EQUAL_AREA, clone=True).area
    if area_m2 < MIN_AREA_KM2 * 1e6:
        _refuse("geometry_too_small",
                "La zone mesure moins de 1 m² : dessinez la surface où l'intervention a lieu.",
                "The zone measures less than 1 m²: draw the area where the intervention takes place.",
                area_m2=area_m2)


def _invalid_json(fr_why: str, en_why: str) -> NoReturn:
    _refuse("geometry_invalid_json",
            f"La géométrie n'est pas un objet GeoJSON lisible : {fr_why}. "
            "Envoyez un Polygon ou un MultiPolygon GeoJSON.",
            f"The geometry is not a readable GeoJSON object: {en_why}. Send a GeoJSON Polygon or MultiPolygon.")


def _load(data) -> dict:
    if isinstance(data, bytes | bytearray | str):
        try:
            data = json.loads(data)
        except (ValueError, RecursionError):
            _invalid_json("ce n'est pas du JSON valide", "it is not valid JSON")
    if not isinstance(data, dict):
        _invalid_json("un objet JSON est attendu", "a JSON object is expected")
    return data


def _unwrap(data: dict) -> tuple[dict, object]:
    """The geometry object and its "crs" member (on the geometry, or on the Feature around it)."""
    if data.get("type") == "FeatureCollection":
        _refuse("geometry_feature_collection",
                "Une FeatureCollection n'est pas acceptée : envoyez une seule géométrie (ou une seule Feature).",
                "A FeatureCollection is not accepted: send a single geometry (or a single Feature).")
    crs = data.get("crs")
    if data.get("type") == "Feature":
        data = data.get("geometry")
        if data is None:
            _refuse("geometry_empty", "La Feature n'a pas de géométrie : dessinez la zone.",
                    "The Feature has no geometry: draw the zone.")
        if not isinstance(data, dict):
            _invalid_json("la géométrie de la Feature n'est pas un objet", "the Feature's geometry is not an object")
        crs = data.get("crs", crs)
    return data, crs


def _check_coordinates(gtype: str, coordinates) -> tuple[list[list[list[tuple[float, float]]]], int]:
    """Walk the raw coordinates: structure, size, numbers, emptiness, closed rings. Returns polygons of rings (in
    2D) and the most numbers a position had (3 when altitudes were dropped)."""
    if not isinstance(coordinates, list):
        _invalid_json("« coordinates » doit être une liste", '"coordinates" must be a list')
    polygons = [coordinates] if gtype == "Polygon" else coordinates
    if len(polygons) > MAX_PARTS:
        _too_many_parts(len(polygons))
    out, count, dimensions = [], 0, 2
    for polygon in polygons:
        if not isinstance(polygon, list) or not all(isinstance(ring, list) for ring in polygon):
            _invalid_json("chaque polygone doit être une liste d'anneaux", "each polygon must be a list of rings")
        count += sum(len(ring) for ring in polygon)
        # Count before reading the positions: no point checking millions of numbers only to refuse them.
        if count > MAX_VERTICES:
            _refuse("geometry_too_complex",
                    f"La zone compte trop de sommets (plus de {MAX_VERTICES}). Simplifiez-la (par exemple avec "
                    "l'outil « Simplifier » de QGIS) puis renvoyez-la.",
                    f"The zone has too many vertices (more than {MAX_VERTICES}). Simplify it (for instance with "
                    "QGIS's Simplify tool) and send it again.", max_vertices=MAX_VERTICES)
        out.append([[_position(p) for p in ring] for ring in polygon])
        dimensions = max([dimensions, *(len(p) for ring in polygon for p in ring)])
    if count == 0 or any(not rings for rings in out):
        _refuse("geometry_empty", "La géométrie est vide : dessinez la zone avant de l'envoyer.",
                "The geometry is empty: draw the zone before sending it.")
    for p_index, rings in enumerate(out):
        for r_index, ring in enumerate(rings):
            if len(ring) < 4 or ring[0] != ring[-1]:
                _refuse("geometry_ring_not_closed",
                        "Un anneau du polygone n'est pas fermé : il faut au moins 4 positions et la dernière doit "
                        "répéter la première.",
                        "A polygon ring is not closed: it needs at least 4 positions and the last one must repeat "
                        "the first.", polygon=p_index, ring=r_index, positions=len(ring))
    return out, dimensions


def _too_many_parts(parts: int) -> NoReturn:
    _refuse("geometry_too_many_parts",
            f"La zone compte trop de parties séparées ({parts} ; au plus {MAX_PARTS}). Regroupez-les (par exemple "
            "avec l'outil « Regrouper » de QGIS) ou envoyez-les en plusieurs zones.",
            f"The zone has too many separate parts ({parts}; at most {MAX_PARTS}). Merge them (for instance with "
            "QGIS's Dissolve tool) or send them as several zones.", parts=parts, max_parts=MAX_PARTS)


def _position(position) -> tuple[float, float]:
    """[longitude, latitude], from a position that may also carry an altitude (GPS, KML), dropped here."""
    if not isinstance(position, list) or len(position) < 2:
        _invalid_json("une position doit être [longitude, latitude]", "a position must be [longitude, latitude]")
    try:
        # bool is an int subclass and would be read as 0/1: refuse it explicitly.
        if any(isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) for v in position):
            raise ValueError
    except (ValueError, OverflowError):
        _invalid_json("les coordonnées doivent être des nombres finis", "coordinates must be finite numbers")
    return float(position[0]), float(position[1])


def _crs_srid(crs) -> int:
    """The EPSG code named by a GeoJSON "crs" member (GeoJSON 2008 style, or a bare string)."""
    name = crs
    if isinstance(crs, dict):
        properties = crs.get("properties") if isinstance(crs.get("properties"), dict) else {}
        name = properties.get("name") if crs.get("type") == "name" else None
        if crs.get("type") == "EPSG" and isinstance(properties.get("code"), int):  # pre-2008 draft style
            name = f"EPSG:{properties['code']}"
    if isinstance(name, str):
        name = name.strip()
        if CRS84_NAME.fullmatch(name):
            return WGS84
        match = EPSG_NAME.fullmatch(name)
        if match:
            srid = int(match.group(1) or match.group(2))
            try:
                SpatialReference(srid)  # GDAL must know it, or we cannot reproject
                return srid
            except (SRSException, GDALException):
                pass
    _refuse("geometry_crs_unknown",
            "Le système de coordonnées (« crs ») n'est pas reconnu. Nommez-le par son code EPSG "
            "(ex. « EPSG:32630 ») ou envoyez des coordonnées WGS 84 longitude/latitude sans « crs ».",
            'The coordinate reference system ("crs") is not recognised. Name it by its EPSG code '
            '(e.g. "EPSG:32630") or send WGS 84 longitude/latitude without a "crs".', crs=str(crs)[:200])


def _reproject(geom: MultiPolygon, srid: int) -> MultiPolygon:
    # Django's SpatialReference uses the traditional GIS axis order (x = longitude), whatever EPSG says.
    transform = CoordTransform(SpatialReference(srid), SpatialReference(WGS84))
    try:
        return geom.transform(transform, clone=True)
    except GDALException:
        _refuse("geometry_crs_unknown",
                f"Les coordonnées n'ont pas pu être converties depuis EPSG:{srid} : vérifiez le « crs » indiqué.",
                f'The coordinates could not be converted from EPSG:{srid}: check the "crs" you named.', srid=srid)


def _check_extent(geom: MultiPolygon, crs_named: bool):
    """Refuse projected-looking, swapped or far-away coordinates, from the bounding box alone."""
    xmin, ymin, xmax, ymax = geom.extent
    # Written so that NaN (a failed transformation) also fails the test.
    if not (-180 <= xmin and xmax <= 180 and -90 <= ymin and ymax <= 90):
        hint_fr = "vérifiez le « crs » indiqué" if crs_named else "nommez le système dans un membre « crs »"
        hint_en = 'check the "crs" you named' if crs_named else 'name the CRS in a "crs" member'
        _refuse("geometry_crs_unknown",
                f"Les coordonnées ne sont pas des longitudes/latitudes (projetées, en mètres ?). Envoyez des "
                f"coordonnées WGS 84 longitude/latitude, ou {hint_fr}.",
                f"The coordinates are not longitudes/latitudes (projected, in metres?). Send WGS 84 "
                f"longitude/latitude coordinates, or {hint_en}.", extent=[xmin, ymin, xmax, ymax])
    lon_min, lat_min, lon_max, lat_max = MALI_BOUNDS
    if xmax < lon_min or xmin > lon_max or ymax < lat_min or ymin > lat_max:
        # The two boxes do not overlap, so "inside the swapped box" implies "outside Mali".
        if lat_min <= xmin and xmax <= lat_max and lon_min <= ymin and ymax <= lon_max:
            _refuse("geometry_axis_swapped",
                    "La longitude et la latitude semblent inversées : donnez d'abord la longitude, puis la latitude "
                    "(ex. [-6.26, 13.43] pour Ségou).",
                    "Longitude and latitude look swapped: give the longitude first, then the latitude "
                    "(e.g. [-6.26, 13.43] for Ségou).", extent=[xmin, ymin, xmax, ymax])
        _refuse("geometry_outside_mali",
                "La zone est entièrement hors du Mali : vérifiez les coordonnées (WGS 84 longitude/latitude).",
                "The zone lies entirely outside Mali: check the coordinates (WGS 84 longitude/latitude).",
                extent=[xmin, ymin, xmax, ymax])


def _repair(geom: MultiPolygon) -> tuple[MultiPolygon, list[dict]]:
    """Repairs to what the person meant (see geometry_repair), then checks the result is still a usable area."""
    reason = geom.valid_reason
    fixed, notes = repair_meaning(shapely.from_wkb(bytes(geom.wkb)))
    if not fixed.is_empty and fixed.geom_type in ("Polygon", "MultiPolygon"):
        fixed = GEOSGeometry(memoryview(shapely.to_wkb(fixed)), srid=WGS84)
        fixed = MultiPolygon(fixed, srid=WGS84) if isinstance(fixed, Polygon) else fixed
    if not isinstance(fixed, MultiPolygon) or fixed.empty or not fixed.valid:
        _refuse("geometry_invalid_unrepairable",
                f"La géométrie n'est pas valide ({reason}) et ne peut pas être corrigée en une surface. "
                "Redessinez la zone sans que ses bords se croisent.",
                f"The geometry is not valid ({reason}) and cannot be repaired into an area. "
                "Redraw the zone without its edges crossing.", reason=reason)
    if len(fixed) > MAX_PARTS:
        _too_many_parts(len(fixed))
    return fixed, notes
