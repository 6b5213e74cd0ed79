"""Consistency checks between an administrative level and the level above it.

Areas are measured in an equal-area projection (Africa Albers Equal Area), because
degrees are not comparable between northern and southern Mali.
"""

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

# Africa Albers Equal Area Conic (ESRI:102022), written out so it works without the ESRI table.
EQUAL_AREA_CRS = "+proj=aea +lat_1=20 +lat_2=-23 +lat_0=0 +lon_0=25 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"

# A child may stick out of its parent by this share of its own area (digitising noise).
OUTSIDE_PARENT_MAX_SHARE = 0.001


def _problem(check: str, pcode, detail: str) -> dict:
    return {"check": check, "pcode": pcode, "detail": detail}


def _names_missing(children: gpd.GeoDataFrame) -> list[dict]:
    names = children["name"].astype(object)
    blank = names.isna() | (names.map(lambda v: not str(v).strip() if isinstance(v, str) else True))
    return [_problem("name_missing", p, "the name is empty") for p in children.loc[blank, "pcode"]]


def _prefix_mismatch(children: gpd.GeoDataFrame) -> list[dict]:
    has_parent = children["parent_pcode"].notna()
    rows = children.loc[has_parent, ["pcode", "parent_pcode"]]
    bad = [not str(p).startswith(str(parent)) for p, parent in zip(rows["pcode"], rows["parent_pcode"], strict=True)]
    return [
        _problem("pcode_prefix", p, f"the P-code does not start with its parent's P-code {parent}")
        for p, parent in rows.loc[bad].itertuples(index=False)
    ]


def _parent_missing(children: gpd.GeoDataFrame, parents: gpd.GeoDataFrame) -> list[dict]:
    has_parent = children["parent_pcode"].notna()
    unknown = has_parent & ~children["parent_pcode"].isin(set(parents["pcode"]))
    return [
        _problem("parent_missing", p, f"the parent P-code {parent} is not among the parents")
        for p, parent in children.loc[unknown, ["pcode", "parent_pcode"]].itertuples(index=False)
    ]


def _outside_parent(children: gpd.GeoDataFrame, parents: gpd.GeoDataFrame) -> list[dict]:
    """Children whose area outside their own parent exceeds 0.1 % of their area."""
    pairs = children[["pcode", "parent_pcode", "geometry"]].merge(
        pd.DataFrame({"parent_pcode": parents["pcode"].to_numpy(), "parent_geom": parents.geometry.to_numpy()}),
        on="parent_pcode",
        how="inner",
    )
    if pairs.empty:
        return []
    child_geoms = np.asarray(pairs["geometry"].array, dtype=object)
    outside = shapely.area(shapely.difference(child_geoms, pairs["parent_geom"].to_numpy()))
    share = outside / np.maximum(shapely.area(child_geoms), 1e-9)
    bad = share > OUTSIDE_PARENT_MAX_SHARE
    return [
        _problem(
            "outside_parent",
            p,
            f"{km2:.3f} km² ({pct:.2f} % of its area) lies outside its parent {parent}",
        )
        for p, parent, km2, pct in zip(
            pairs.loc[bad, "pcode"], pairs.loc[bad, "parent_pcode"], outside[bad] / 1e6, share[bad] * 100, strict=True
        )
    ]


def _overlaps(children: gpd.GeoDataFrame, tolerance_km2: float) -> list[dict]:
    """Pairs of features of the same level whose interiors overlap by more than the tolerance."""
    geoms = np.asarray(children.geometry.array, dtype=object)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    once = left < right  # each pair once, and not a feature with itself
    left, right = left[once], right[once]
    if len(left) == 0:
        return []
    area_km2 = shapely.area(shapely.intersection(geoms[left], geoms[right])) / 1e6
    bad = area_km2 > tolerance_km2
    pcodes = children["pcode"].to_numpy()
    return [
        _problem("overlap", a, f"overlaps {b} by {km2:.3f} km²")
        for a, b, km2 in zip(pcodes[left[bad]], pcodes[right[bad]], area_km2[bad], strict=True)
    ]


def _gaps(children: gpd.GeoDataFrame, parents: gpd.GeoDataFrame, tolerance_km2: float) -> list[dict]:
    """Parents whose area is not covered by the union of their children beyond the tolerance."""
    grouped = children.loc[children["parent_pcode"].notna(), ["parent_pcode", "geometry"]]
    unions = grouped.dissolve(by="parent_pcode").geometry
    covered = unions.reindex(parents["pcode"].to_numpy()).to_numpy()
    parent_pcodes = parents["pcode"].to_numpy()
    # A parent without any child gets its own check: a layer may cover only some parents
    # (Bamako's quartiers), and the caller may then ignore "no_children".
    childless = ~shapely.is_geometry(covered)
    problems = [
        _problem("no_children", p, "no feature of the checked level has it as parent") for p in parent_pcodes[childless]
    ]
    parent_geoms = np.asarray(parents.geometry.array, dtype=object)[~childless]
    covered, parent_pcodes = covered[~childless], parent_pcodes[~childless]
    gap_km2 = shapely.area(shapely.difference(parent_geoms, covered)) / 1e6
    share = gap_km2 * 1e6 / np.maximum(shapely.area(parent_geoms), 1e-9) * 100
    bad = gap_km2 > tolerance_km2
    return problems + [
        _problem("gap", p, f"{km2:.3f} km² ({pct:.2f} % of its area) is not covered by any of its children")
        for p, km2, pct in zip(parent_pcodes[bad], gap_km2[bad], share[bad], strict=True)
    ]


def check_layer(
    children: gpd.GeoDataFrame,
    parents: gpd.GeoDataFrame | None = None,
    *,
    gap_tolerance_km2: float = 1.0,
    overlap_tolerance_km2: float = 0.01,
) -> list[dict]:
    """Return the problems found in a level, and between it and its parent level.

    Each problem is ``{"check", "pcode", "detail"}``. Checks: ``name_missing``;
    ``pcode_prefix`` (the P-code does not start with ``parent_pcode``); ``overlap``
    (two features share more than ``overlap_tolerance_km2``). With ``parents``
    also: ``parent_missing`` (``parent_pcode`` is not a parent's P-code);
    ``outside_parent`` (more than 0.1 % of a child's area lies outside its parent);
    ``gap`` (a parent's area not covered by its children exceeds
    ``gap_tolerance_km2``); ``no_children`` (a parent has no child at all).
    Both frames use the columns of ``read_admin_layer``.
    """
    children_ea = children.to_crs(EQUAL_AREA_CRS)
    problems = _names_missing(children) + _prefix_mismatch(children)
    if parents is not None:
        parents_ea = parents.to_crs(EQUAL_AREA_CRS)
        problems += _parent_missing(children, parents)
        problems += _outside_parent(children_ea, parents_ea)
    problems += _overlaps(children_ea, overlap_tolerance_km2)
    if parents is not None:
        problems += _gaps(children_ea, parents_ea, gap_tolerance_km2)
    return problems
