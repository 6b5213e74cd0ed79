"""An independent reference for the coverage analytics, for the tests: geopandas and shapely over the same rows.

It reads only source tables (communes and their 2017 population, zones, interventions, organisations, themes) and
never the analytics code, `analytics_coverageatom` or `zones_zonecommune`. It recomputes every measure from its
definition, with another engine (GEOS through shapely in this process, rather than PostGIS):

* A zone is present in a commune when they share more than PRESENCE_KM2 of area and at least NOISE_SHARE of the
  zone's area: a zone that only touches a commune's border, or spills over it by a drawing-precision sliver, is
  not in it (and that sliver covers nothing).
* Only validated interventions count. The visitor sees public and coarse interventions of active organisations,
  a coarse one as the whole communes its zones are present in; the full audience (administrator, coordinator)
  sees every intervention, exactly.
* A commune's covered area is the area of the union of the zones inside it (the whole commune when a zone seen
  coarsely is present in it). Women covered = covered share x women of the commune (uniform density). A cercle,
  region or the country adds up its communes.
* Two interventions of different organisations overlap where their zones (as the audience sees them) intersect,
  if they share a theme domain (a theme or its parent) and their periods (inclusive, open ends unbounded) meet.
* Areas are geodesic, on the WGS 84 ellipsoid (pyproj.Geod, i.e. GeographicLib, as PostGIS measures geography),
  after densifying edges to 0.01° as the app does.

The geometry work is vectorised (overlay, dissolve, array intersections); only the area measurement calls
GeographicLib once per geometry.
"""
import dataclasses
import datetime as dt
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from django.db import connection
from pyproj import Geod

GEOD = Geod(ellps="WGS84")
PRESENCE_KM2 = 1e-6  # 1 m²: below this a shared area is a numerical contact, not presence
NOISE_SHARE = 1e-4  # a piece under 0.01 % of its zone is a sliver along a commune border, not presence
POPULATION_YEAR = 2017
UNIT_COLUMN = {0: "country", 1: "region", 2: "cercle", 3: "pcode"}
MEASURES = ["area_km2", "covered_km2", "women", "women_covered", "population", "population_covered"]


def geodesic_area_km2(geometries) -> np.ndarray:
    """Area on the WGS 84 ellipsoid of each (multi)polygon, in km². Exteriors are oriented counter-clockwise and
    holes clockwise first, so that GeographicLib's signed ring areas add up to the polygon's area."""
    geometries = np.asarray([_polygonal(g) for g in geometries], dtype=object)
    # Edges are straight in lon/lat (as the app measures them, see regions migration 0003): densify to 0.01°
    # before measuring on the ellipsoid.
    geometries = shapely.segmentize(geometries, 0.01)
    oriented = shapely.orient_polygons(geometries, exterior_cw=False)
    areas = [GEOD.geometry_area_perimeter(g)[0] if g is not None and not g.is_empty else 0.0 for g in oriented]
    return np.asarray(areas, dtype=float) / 1e6


def _polygonal(geometry):
    """The areal part of a geometry. Two zones sharing only an edge intersect in a line, and a line along a parallel,
    densified, has a non-zero "area" for GeographicLib (the ring it closes with the geodesic back): 0.045 km² for a
    24 km edge at 13.6° N, counted as an overlap that is not one."""
    if geometry is None or geometry.is_empty or geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    polygons = [part for part in shapely.get_parts(geometry) if part.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons) if polygons else None


def _rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _frame(rows, columns, geometry_column="wkb") -> gpd.GeoDataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    geometry = shapely.from_wkb([bytes(w) for w in frame.pop(geometry_column)]) if len(frame) else []
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=4326, index=frame.index))


def communes_frame(edition_id: int) -> gpd.GeoDataFrame:
    """The communes of an edition with their cercle, region and country P-codes, 2017 women and population, and
    their geodesic area computed here."""
    rows = _rows(
        """
        SELECT c.id, c.pcode, p.pcode, r.pcode, k.pcode, coalesce(pop.female, 0), coalesce(pop.total, 0),
               ST_AsBinary(c.geom)
        FROM regions_adminunit c
        JOIN regions_adminunit p ON p.id = c.parent_id
        JOIN regions_adminunit r ON r.id = p.parent_id
        JOIN regions_adminunit k ON k.id = r.parent_id
        LEFT JOIN regions_population pop ON pop.unit_id = c.id AND pop.year = %s
        WHERE c.edition_id = %s AND c.level = 3
        ORDER BY c.pcode
        """,
        [POPULATION_YEAR, edition_id],
    )
    communes = _frame(rows, ["commune_id", "pcode", "cercle", "region", "country", "women", "population", "wkb"])
    communes["area_km2"] = geodesic_area_km2(communes.geometry.values)
    return communes


def zones_frame(edition_id: int) -> gpd.GeoDataFrame:
    """Every zone of the edition (its stored, clipped geometry) with what the selection needs of its intervention."""
    rows = _rows(
        """
        SELECT z.id, i.id, i.organisation_id, o.status, i.sensitivity, i.validation_state, i.start_date, i.end_date,
               ST_AsBinary(z.geom)
        FROM zones_zone z
        JOIN zones_intervention i ON i.id = z.intervention_id
        JOIN organisations_organisation o ON o.id = i.organisation_id
        WHERE z.edition_id = %s
        ORDER BY z.id
        """,
        [edition_id],
    )
    zones = _frame(rows, ["zone_id", "intervention", "organisation", "organisation_status", "sensitivity",
                          "validation_state", "start_date", "end_date", "wkb"])
    themes = _rows(
        """
        SELECT it.intervention_id, t.code, coalesce(parent.code, t.code)
        FROM zones_intervention_themes it JOIN taxonomy_theme t ON t.id = it.theme_id
        LEFT JOIN taxonomy_theme parent ON parent.id = t.parent_id
        """,
        [],
    )
    codes, domains = {}, {}
    for intervention, code, domain in themes:
        codes.setdefault(intervention, set()).add(code)
        domains.setdefault(intervention, set()).add(domain)
    zones["theme_codes"] = [frozenset(codes.get(i, ())) for i in zones["intervention"]]
    zones["domains"] = [frozenset(domains.get(i, ())) for i in zones["intervention"]]
    return zones


@dataclass(frozen=True)
class Selection:
    """Which zones count, and how the audience sees them."""

    audience: str = "visitor"  # "visitor" or "full" (administrator, coordinator)
    themes: tuple[str, ...] | None = None  # a code matches its own theme and its sub-themes
    active_on: dt.date | None = None
    interventions: frozenset | None = None  # only these interventions (roll-ups per network or funder)


class Reference:
    """The reference measures of one edition, read from the database when built (call again after changes)."""

    def __init__(self, edition_id: int, communes: gpd.GeoDataFrame | None = None):
        self.communes = communes if communes is not None else communes_frame(edition_id)
        self.zones = zones_frame(edition_id)
        self._pieces: dict[Selection, gpd.GeoDataFrame] = {}

    # --- Selection -----------------------------------------------------------------------------------------

    def selected(self, selection: Selection) -> gpd.GeoDataFrame:
        zones = self.zones
        keep = zones["validation_state"].eq("validated")
        if selection.audience == "visitor":
            keep &= zones["sensitivity"].isin(["public", "coarse"]) & zones["organisation_status"].eq("active")
        elif selection.audience != "full":
            raise ValueError(selection.audience)
        if selection.themes:
            wanted = set(selection.themes)
            keep &= pd.Series([bool(wanted & (c | d)) for c, d in zip(zones["theme_codes"], zones["domains"],
                                                                        strict=True)], index=zones.index, dtype=bool)
        if selection.active_on:
            day = selection.active_on
            keep &= zones["start_date"].isna() | (zones["start_date"] <= day)
            keep &= zones["end_date"].isna() | (zones["end_date"] >= day)
        if selection.interventions is not None:
            keep &= zones["intervention"].isin(selection.interventions)
        chosen = zones[keep].copy()
        chosen["precise"] = True if selection.audience == "full" else chosen["sensitivity"].eq("public")
        return chosen

    def pieces(self, selection: Selection) -> gpd.GeoDataFrame:
        """Each selected zone cut by the communes: the part of the zone inside each commune it is present in."""
        if selection not in self._pieces:
            self._pieces[selection] = self._cut(selection)
        return self._pieces[selection].copy()

    def _cut(self, selection: Selection) -> gpd.GeoDataFrame:
        zones = self.selected(selection)
        columns = ["zone_id", "intervention", "organisation", "precise", "geometry"]
        if zones.empty:
            return gpd.GeoDataFrame({"zone_id": [], "intervention": [], "organisation": [], "precise": [],
                                     "commune_id": [], "area_km2": []}, geometry=gpd.GeoSeries([], crs=4326))
        zones = zones.assign(zone_km2=geodesic_area_km2(zones.geometry.values))
        pieces = gpd.overlay(zones[[*columns[:-1], "zone_km2", "geometry"]], self.communes[["commune_id", "geometry"]],
                             how="intersection", keep_geom_type=True)
        pieces["area_km2"] = geodesic_area_km2(pieces.geometry.values)
        present = (pieces["area_km2"] > PRESENCE_KM2) & (pieces["area_km2"] >= NOISE_SHARE * pieces["zone_km2"])
        return pieces[present].drop(columns="zone_km2").reset_index(drop=True)

    # --- Coverage ------------------------------------------------------------------------------------------

    def commune_cover(self, selection: Selection) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
        """Per commune: covered share, area and women covered, and the zones' pieces for presence counts."""
        pieces = self.pieces(selection)
        communes = pd.DataFrame(self.communes.drop(columns="geometry")).set_index("commune_id")
        precise = pieces[pieces["precise"].astype(bool)]
        if precise.empty:
            covered = pd.Series(0.0, index=communes.index)
        else:
            union = precise[["commune_id", "geometry"]].dissolve(by="commune_id")
            covered = pd.Series(geodesic_area_km2(union.geometry.values), index=union.index)
            covered = covered.reindex(communes.index, fill_value=0.0)
        share = (covered / communes["area_km2"]).clip(upper=1.0)
        coarse = set(pieces.loc[~pieces["precise"].astype(bool), "commune_id"])
        share[communes.index.isin(coarse)] = 1.0
        communes["share"] = share
        communes["covered_km2"] = share * communes["area_km2"]
        communes["women_covered"] = share * communes["women"]
        communes["population_covered"] = share * communes["population"]
        return communes, pieces

    def coverage(self, level: int, selection: Selection = Selection()) -> pd.DataFrame:
        """Per unit of the level (indexed by P-code): the MEASURES, organisations and interventions present,
        coverage_share and women_share_covered."""
        communes, pieces = self.commune_cover(selection)
        unit = UNIT_COLUMN[level]
        table = communes.groupby(unit)[MEASURES].sum()
        present = pieces.merge(communes[[unit]], left_on="commune_id", right_index=True)
        counts = present.groupby(unit).agg(organisations=("organisation", "nunique"),
                                           interventions=("intervention", "nunique"))
        table = table.join(counts).fillna({"organisations": 0, "interventions": 0})
        table[["organisations", "interventions"]] = table[["organisations", "interventions"]].astype(int)
        table["coverage_share"] = table["covered_km2"] / table["area_km2"]
        table["women_share_covered"] = (table["women_covered"] / table["women"].where(table["women"] > 0)).fillna(0)
        table.index.name = "pcode"
        return table

    def gaps(self, level: int, selection: Selection = Selection()) -> list[str]:
        """P-codes of the units with no coverage, most women first (then by P-code)."""
        table = self.coverage(level, selection).reset_index()
        uncovered = table[table["covered_km2"] <= 1e-9]
        return list(uncovered.sort_values(["women", "pcode"], ascending=[False, True])["pcode"])

    def changes(self, level: int, selection: Selection, *, before: dt.date, after: dt.date) -> pd.Series:
        """Women covered lost between two dates, per unit that lost some (indexed by P-code)."""
        first = self.coverage(level, dataclasses.replace(selection, active_on=before))["women_covered"]
        second = self.coverage(level, dataclasses.replace(selection, active_on=after))["women_covered"]
        lost = first - second
        return lost[lost > 1e-6]

    # --- Overlaps ------------------------------------------------------------------------------------------

    def overlaps(self, level: int, selection: Selection = Selection(), *, min_shared_km2: float = 0.01
                 ) -> pd.DataFrame:
        """Per pair of interventions (first < second) and unit of the level: shared_km2 and women_shared; only
        pairs sharing at least min_shared_km2 in all."""
        communes, pieces = self.commune_cover(selection)
        empty = pd.DataFrame(columns=["first", "second", "unit", "shared_km2", "women_shared"])
        if pieces.empty:
            return empty
        # Each intervention's footprint in each commune: its zones' union, or the whole commune if seen coarsely.
        is_precise = pieces["precise"].astype(bool)
        exact = pieces[is_precise][["intervention", "commune_id", "geometry"]]
        exact = exact.dissolve(by=["intervention", "commune_id"]).reset_index() if len(exact) else exact
        coarse = pieces[~is_precise][["intervention", "commune_id"]].drop_duplicates().merge(
            self.communes[["commune_id", "geometry"]], on="commune_id")
        footprints = pd.concat([pd.DataFrame(exact), pd.DataFrame(coarse)], ignore_index=True)

        meta = self.zones.drop_duplicates("intervention").set_index("intervention")
        # Candidate pairs: different organisations sharing a domain, periods meeting (inclusive, open ends).
        domains = meta["domains"].apply(sorted).explode().dropna().rename("domain").reset_index()
        candidates = domains.merge(domains, on="domain", suffixes=("_a", "_b"))
        candidates = candidates[candidates["intervention_a"] < candidates["intervention_b"]]
        candidates = candidates[["intervention_a", "intervention_b"]].drop_duplicates()
        a = meta.loc[candidates["intervention_a"]].reset_index(drop=True)
        b = meta.loc[candidates["intervention_b"]].reset_index(drop=True)
        start_a, start_b = a["start_date"].fillna(dt.date.min), b["start_date"].fillna(dt.date.min)
        end_a, end_b = a["end_date"].fillna(dt.date.max), b["end_date"].fillna(dt.date.max)
        meets = (a["organisation"].to_numpy() != b["organisation"].to_numpy()) & (start_a <= end_b).to_numpy() & (
            start_b <= end_a).to_numpy()
        candidates = candidates[meets]

        pairs = candidates.merge(footprints.rename(columns={"intervention": "intervention_a"}), on="intervention_a")
        pairs = pairs.merge(footprints.rename(columns={"intervention": "intervention_b"}),
                            on=["intervention_b", "commune_id"], suffixes=("_a", "_b"))
        if pairs.empty:
            return empty
        shared = shapely.intersection(pairs["geometry_a"].to_numpy(), pairs["geometry_b"].to_numpy())
        pairs["shared_km2"] = geodesic_area_km2(shared)
        pairs = pairs.merge(communes[["area_km2", "women", UNIT_COLUMN[level]]], left_on="commune_id",
                            right_index=True)
        pairs["women_shared"] = pairs["shared_km2"] / pairs["area_km2"] * pairs["women"]
        pairs = pairs.rename(columns={"intervention_a": "first", "intervention_b": "second",
                                      UNIT_COLUMN[level]: "unit"})
        table = pairs.groupby(["first", "second", "unit"], as_index=False)[["shared_km2", "women_shared"]].sum()
        totals = table.groupby(["first", "second"])["shared_km2"].transform("sum")
        return table[totals >= min_shared_km2].reset_index(drop=True)
