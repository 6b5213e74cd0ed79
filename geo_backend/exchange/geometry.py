"""A zone given on an import row: WKT or GeoJSON, or coordinates (a circle of the row's radius, 5 km unless
given). Returned as a GeoJSON dict for zones.services.zone_create (which checks, repairs and clips it)."""
import json
import math

import shapely

from etl.values_fr import parse_number

DEFAULT_RADIUS_KM = 5.0
MAX_RADIUS_KM = 100.0


def _circle(lon: float, lat: float, radius_km: float) -> dict:
    """A 64-sided circle around a point, drawn on the sphere (good to a few metres at Mali's latitudes)."""
    earth_km = 6371.0088
    points = []
    for step in range(64):
        bearing = 2 * math.pi * step / 64
        distance = radius_km / earth_km
        lat1, lon1 = math.radians(lat), math.radians(lon)
        lat2 = math.asin(math.sin(lat1) * math.cos(distance) + math.cos(lat1) * math.sin(distance) * math.cos(bearing))
        lon2 = lon1 + math.atan2(math.sin(bearing) * math.sin(distance) * math.cos(lat1),
                                 math.cos(distance) - math.sin(lat1) * math.sin(lat2))
        points.append([round(math.degrees(lon2), 6), round(math.degrees(lat2), 6)])
    points.append(points[0])
    return {"type": "Polygon", "coordinates": [points]}


def row_geometry(values: dict) -> dict | None:
    """The zone a row draws, or None when it gives only place names or codes. Raises ValueError when unreadable."""
    text = (values.get("geometry") or "").strip()
    if text:
        try:
            geometry = shapely.from_geojson(text) if text.startswith("{") else shapely.from_wkt(text)
        except (shapely.errors.GEOSException, ValueError, json.JSONDecodeError) as error:
            raise ValueError(f"géométrie illisible (WKT ou GeoJSON) / unreadable geometry: {error}") from None
        if geometry.geom_type == "Point":
            return _circle(geometry.x, geometry.y, _radius(values))
        return json.loads(shapely.to_geojson(geometry))
    if values.get("latitude") or values.get("longitude"):
        try:
            lat, lon = parse_number(values.get("latitude")), parse_number(values.get("longitude"))
        except ValueError as error:
            raise ValueError(str(error)) from None
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError("coordonnées incomplètes ou hors limites / coordinates missing or out of range")
        return _circle(lon, lat, _radius(values))
    return None


def _radius(values: dict) -> float:
    radius = parse_number(values.get("radius_km")) or DEFAULT_RADIUS_KM
    if not 0 < radius <= MAX_RADIUS_KM:
        raise ValueError(f"rayon hors limites (0–{MAX_RADIUS_KM:g} km) / radius out of range")
    return radius
