"""The reference layers: editions, the web geometries of each level and the units' neighbours, read once per
process and level (boundaries change only with a new load) from the regions selectors.

Map geometries are the web geometries of the boundaries (regions/selectors.areas_feature_collection), served by
app.py at a fingerprinted address that browsers cache for a year.
"""
import dataclasses
import functools
import hashlib

import pandas as pd


def edition(slug: str | None = None):
    """The edition named by slug, or the default one."""
    from geo_backend.regions.selectors import edition_resolve

    return edition_resolve(slug)


@dataclasses.dataclass(frozen=True)
class Geometry:
    """The web geometries of one level of an edition, as served (GeoJSON text) and as a dict."""

    text: str
    collection: dict
    digest: str


def _signed_area(ring: list) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_a), (x1, y1, *_b) in zip(ring, ring[1:], strict=False)) / 2


def wound_for_d3(collection: dict) -> dict:
    """Pure: the collection with every exterior ring clockwise and every hole counter-clockwise, as Plotly's maps
    (d3-geo, on the sphere) read them. A ring the other way round is taken as its complement: the rest of the
    globe, painted over the whole map. The web geometries come with either orientation (RFC 7946 asks for the
    opposite one), so they are rewound here, in place; coordinates are unchanged."""
    for feature in collection["features"]:
        geometry = feature.get("geometry") or {}
        if geometry.get("type") == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            continue
        for rings in polygons:
            for index, ring in enumerate(rings):
                exterior = index == 0
                if (_signed_area(ring) > 0) == exterior:  # counter-clockwise exterior, or clockwise hole
                    ring.reverse()
    return collection


@functools.lru_cache(maxsize=16)
def _geometry(edition_id: int, level: int) -> Geometry:
    import json

    from geo_backend.regions.selectors import areas_feature_collection, edition_by_id

    collection = wound_for_d3(json.loads(areas_feature_collection(edition=edition_by_id(edition_id), level=level)))
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    return Geometry(text=text, collection=collection, digest=hashlib.sha256(text.encode()).hexdigest()[:16])


def boundaries_loaded() -> bool:
    """Whether a default edition of the boundaries is loaded (a fresh database has none until `make bootstrap`)."""
    from geo_backend.common.errors import NotFound

    try:
        edition()
    except NotFound:
        return False
    return True


def geometry(level: int, *, edition_slug: str | None = None) -> Geometry:
    """The web GeoJSON of a level (read once per process: boundaries change only with a new load)."""
    return _geometry(edition(edition_slug).id, level)


def units_frame(level: int, *, edition_slug: str | None = None) -> pd.DataFrame:
    """The units of a level: pcode, name, parent P-code and name, women (2017)."""
    collection = geometry(level, edition_slug=edition_slug).collection
    frame = pd.DataFrame([f["properties"] for f in collection["features"]],
                         columns=["pcode", "name", "level", "parent_pcode", "women_2017"])
    if level > 1:
        parents = geometry(level - 1, edition_slug=edition_slug).collection["features"]
        names = {f["properties"]["pcode"]: f["properties"]["name"] for f in parents}
        frame["parent_name"] = frame["parent_pcode"].map(names)
    else:
        frame["parent_name"] = None
    return frame.sort_values("pcode").reset_index(drop=True)


@functools.lru_cache(maxsize=16)
def _neighbours(edition_id: int, level: int) -> dict[str, list[str]]:
    """Touching units, from PostGIS (boundaries change only with a new load, so read once per process)."""
    from geo_backend.regions.selectors import edition_by_id, unit_neighbours

    return unit_neighbours(edition=edition_by_id(edition_id), level=level)


def ancestors(level: int, *, edition_slug: str | None = None) -> dict[str, tuple[str, str]]:
    """Commune P-code -> (P-code, name) of the unit of the level that contains it."""
    units = {lv: units_frame(lv, edition_slug=edition_slug).set_index("pcode") for lv in range(level, 4)}
    parents = {lv: units[lv]["parent_pcode"].to_dict() for lv in units}
    names = units[level]["name"].to_dict()
    found = {}
    for commune in units[3].index:
        pcode = commune
        for lv in range(3, level, -1):
            pcode = parents[lv][pcode]
        found[commune] = (pcode, names[pcode])
    return found
