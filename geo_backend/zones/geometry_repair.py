"""Repairs an invalid zone geometry into what the person meant, and says precisely what was changed.

What a person means by a MultiPolygon: each outer ring bounds an area, each hole removes area inside its own
outer ring, and the parts together cover their union. GEOS's "structure" repair does exactly that: rings that cross
themselves enclose the area they go around, overlapping parts are united (the overlap counted once), and a hole
drawn outside its outer ring removes nothing. The default "linework" repair (Django's make_valid) instead keeps every
edge and alternates inside and outside: an overlap between two parts becomes a hole and a stray hole becomes
covered area; its cost also grows with the square of the crossings (400 random vertices: 60 s).

A repair costs about as much as the edges that cross each other, so a geometry with too many crossings (or too
many edges side by side to count them cheaply) is refused with the advice to repair it in QGIS.
"""
import re
from typing import NoReturn

import numpy as np
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.utils import translation
from django.utils.formats import number_format

from geo_backend.common.errors import DomainError

# Edges crossing each other that an automatic repair untangles (a hand-drawn bow-tie has 1; about 20,000 take a
# second). Estimated from a fixed sample, so that the estimate itself stays cheap whatever the geometry.
MAX_REPAIR_CROSSINGS = 5_000
# Pairs of edges whose bounding boxes overlap (what noding the edges costs): a tidy outline has about 3 per edge.
MAX_REPAIR_EDGE_PAIRS = 2_000_000
SAMPLED_EDGES = 256  # edges whose neighbours are counted
CHECKS_PER_EDGE = 64  # of those neighbours, how many are tested for a crossing
EQUAL_AREA = 6933  # WGS 84 / NSIDC EASE-Grid 2.0 Global: areas in m², valid over Mali
AREA_TOLERANCE = 1e-9  # relative: below this, two areas are the same (floating-point noise)
_POINT = re.compile(r"\[(-?[\d.e+-]+) (-?[\d.e+-]+)\]")


def _refuse_costly_repair(geom: shapely.MultiPolygon) -> None:
    """Refuses a geometry whose repair would be slow, from an estimate made on evenly spaced edges: how many pairs
    of edges have overlapping boxes, and what share of those pairs cross. Costs at most SAMPLED_EDGES box queries
    and SAMPLED_EDGES × CHECKS_PER_EDGE crossing tests, however tangled the geometry."""
    rings = [ring for part in geom.geoms for ring in (part.exterior, *part.interiors)]
    starts = np.concatenate([np.asarray(ring.coords)[:-1, :2] for ring in rings])
    ends = np.concatenate([np.asarray(ring.coords)[1:, :2] for ring in rings])
    edges = shapely.linestrings(np.stack([starts, ends], axis=1))
    tree = shapely.STRtree(edges)
    sample = np.linspace(0, len(edges) - 1, min(SAMPLED_EDGES, len(edges))).astype(int)
    pairs = crossings = 0.0
    for index in sample:
        neighbours = tree.query(edges[index])
        checked = neighbours[::max(1, len(neighbours) // CHECKS_PER_EDGE)]
        pairs += len(neighbours)
        if len(checked):
            crossings += len(neighbours) * shapely.crosses(edges[index], edges[checked]).mean()
    scale = len(edges) / len(sample) / 2  # each pair is seen from both of its edges
    pairs, crossings = pairs * scale, crossings * scale
    if pairs > MAX_REPAIR_EDGE_PAIRS:
        _refuse_repair("ses bords sont trop nombreux et trop enchevêtrés",
                       "its edges are too many and too entangled", estimated_edge_pairs=round(pairs))
    if crossings > MAX_REPAIR_CROSSINGS:
        _refuse_repair(f"ses bords se croisent en trop d'endroits (environ {crossings:.0f})",
                       f"its edges cross in too many places (about {crossings:.0f})",
                       estimated_crossings=round(crossings), max_crossings=MAX_REPAIR_CROSSINGS)


def _refuse_repair(fr_why: str, en_why: str, **details) -> NoReturn:
    raise DomainError(
        "geometry_repair_too_complex",
        f"La géométrie n'est pas valide et {fr_why} pour être corrigée automatiquement. Corrigez-la (par exemple "
        "avec l'outil « Réparer les géométries » de QGIS) ou redessinez-la, puis renvoyez-la.",
        f"The geometry is not valid and {en_why} to be repaired automatically. Repair it (for instance with "
        "QGIS's Fix Geometries tool) or draw it again, then send it again.", details=details)


def _structure(geom):
    return shapely.make_valid(geom, method="structure", keep_collapsed=False)


def _km2(geom) -> float:
    """Area in km² (equal-area projection), for the notes."""
    if geom.is_empty:
        return 0.0
    return GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=4326).transform(EQUAL_AREA, clone=True).area / 1e6


def _area_text(km2: float) -> tuple[str, str]:
    """An area as a French and as an English reader writes it: '6 746,20 km²' and '6,746.20 km²'."""
    texts = []
    for language in ("fr", "en"):
        with translation.override(language):
            texts.append(f"{number_format(round(km2, 2), 2, use_l10n=True, force_grouping=True)} km²")
    return texts[0], texts[1]


def _near(reason: str) -> tuple[str, str]:
    """'near (lon, lat)' from a GEOS validity reason such as 'Self-intersection[-6.2 13.4]'."""
    match = _POINT.search(reason)
    if not match:
        return "", ""
    where = f"{float(match.group(1)):.5f}, {float(match.group(2)):.5f}"
    return f" près de ({where})", f" near ({where})"


def _note(code: str, fr: str, en: str) -> dict:
    return {"code": code, "fr": fr, "en": en}


def _part_name(number: int, parts: int) -> tuple[str, str]:
    return (f"de la partie {number}", f"of part {number}") if parts > 1 else ("de la zone", "of the zone")


def _repair_part(part: shapely.Polygon, number: int, parts: int, notes: list[dict]) -> shapely.Geometry:
    """The part as meant (its outer ring's area minus its holes), with a note for each change of meaning."""
    fr_part, en_part = _part_name(number, parts)
    shell = shapely.Polygon(part.exterior)
    if not shell.is_valid:
        fr_near, en_near = _near(shapely.is_valid_reason(shell))
        shell = _structure(shell)
        fr_area, en_area = _area_text(_km2(shell))
        notes.append(_note(
            "ring_self_intersection",
            f"Le contour {fr_part} se croisait ou se touchait lui-même{fr_near} : la zone retenue est la surface "
            f"qu'il entoure ({fr_area}). Vérifiez-la sur la carte.",
            f"The outline {en_part} crossed or touched itself{en_near}: the zone kept is the area it goes around "
            f"({en_area}). Check it on the map."))
    for index, ring in enumerate(part.interiors, 1):
        hole = _structure(shapely.Polygon(ring))  # a hole that crosses itself removes the area it goes around
        inside = hole.intersection(shell)
        if inside.area <= AREA_TOLERANCE * hole.area:
            fr_hole, en_hole = _area_text(_km2(hole))
            notes.append(_note(
                "hole_outside_dropped",
                f"Le trou n° {index} {fr_part} était tracé hors de son contour : il a été ignoré "
                f"(il ne retire rien à la zone ; {fr_hole}).",
                f"Hole {index} {en_part} was drawn outside its outline: it was ignored (it removes nothing from "
                f"the zone; {en_hole})."))
        elif inside.area < (1 - AREA_TOLERANCE) * hole.area:
            (fr_hole, en_hole), (fr_inside, en_inside) = _area_text(_km2(hole)), _area_text(_km2(inside))
            notes.append(_note(
                "hole_clipped",
                f"Le trou n° {index} {fr_part} dépassait de son contour : seule sa partie intérieure a été retirée "
                f"de la zone ({fr_inside} sur {fr_hole}).",
                f"Hole {index} {en_part} went beyond its outline: only its inner part was removed from the zone "
                f"({en_inside} of {en_hole})."))
    holes = [_structure(shapely.Polygon(ring)) for ring in part.interiors]
    # Not make_valid(part, "structure"): GEOS turns a hole drawn outside its outer ring into covered area.
    return shell.difference(shapely.union_all(holes)) if holes else shell


def _overlap_note(fixed: list, united, notes: list[dict]) -> None:
    """A note when parts overlapped: the area their union no longer counts twice, and the first pairs concerned."""
    counted_twice = sum(part.area for part in fixed) - united.area
    if counted_twice <= AREA_TOLERANCE * united.area:
        return  # parts that only share edges or corners: nothing was counted twice
    left, right = shapely.STRtree(fixed).query(fixed, predicate="intersects")
    pairs = []
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i < j and fixed[i].intersection(fixed[j]).area > 0:
            pairs.append((i + 1, j + 1))
            if len(pairs) > 10:
                break
    more = " …" if len(pairs) > 10 else ""
    names_fr = ", ".join(f"{i} et {j}" for i, j in pairs[:10]) + more
    names_en = ", ".join(f"{i} and {j}" for i, j in pairs[:10]) + more
    # one projection for all the parts
    fr_overlap, en_overlap = _area_text(_km2(shapely.GeometryCollection(fixed)) - _km2(united))
    notes.append(_note(
        "parts_merged",
        f"Des parties de la zone se chevauchaient (parties {names_fr}) : elles ont été réunies, et leur surface "
        f"commune ({fr_overlap}) est comptée une seule fois.",
        f"Parts of the zone overlapped (parts {names_en}): they were united, and their common area "
        f"({en_overlap}) is counted once."))


def repair_meaning(geom: shapely.MultiPolygon) -> tuple[shapely.Geometry, list[dict]]:
    """Repairs an invalid MultiPolygon to what the person meant; returns the repaired geometry (polygonal, maybe
    empty) and the notes saying what changed. Raises geometry_repair_too_complex when a repair would be slow."""
    _refuse_costly_repair(geom)
    notes: list[dict] = []
    parts = list(geom.geoms)
    fixed = [_repair_part(part, number, len(parts), notes) for number, part in enumerate(parts, 1)]
    repaired = shapely.union_all(fixed)
    _overlap_note(fixed, repaired, notes)
    if not notes:
        # Invalid only in form (parts sharing an edge, a ring touching itself, holes touching): same area.
        reason = shapely.is_valid_reason(geom)
        notes.append(_note(
            "made_valid",
            f"La géométrie n'était pas valide ({reason}) : elle a été réécrite sous une forme valide, sans changer "
            "la surface couverte.",
            f"The geometry was not valid ({reason}): it was rewritten in a valid form, without changing the area "
            "covered."))
    return repaired, notes
