"""The OCHA gazetteer of populated places (villages, chefs-lieux), as points."""

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from etl.errors import EtlError
from etl.files import open_vector, to_wgs84
from etl.report import LayerReport
from etl.values import distinct_alt_names, texts

# Column names of the OCHA COD populated places layer (shapefile-truncated names).
_COLUMNS = {"pcode": "pcode", "name": "featureNam", "place_class": "popPlaceCl", "admin3_pcode": "admin3Pcod"}
_ALT_COLUMNS = ("featureRef", "featureAlt", "featureA_1")
OUTPUT_COLUMNS = ["pcode", "name", "alt_names", "place_class", "admin3_pcode", "geometry"]


def read_localities(path: str | Path) -> tuple[gpd.GeoDataFrame, LayerReport]:
    """Read the populated places layer (``localities_ocha_2015.geojson``).

    Returns ``(gdf, report)`` with columns ``pcode, name, alt_names, place_class,
    admin3_pcode, geometry`` (2D Points in EPSG:4326). ``place_class`` is 1 national
    capital, 2 region capital, 3 cercle capital, 4 commune capital, 5 other. Rows
    without a geometry, a P-code or a class from 1 to 5, or whose geometry is not a
    point, are left out and listed in ``report.rejected``. Raises EtlError
    ``file_unreadable``, ``crs_unreadable``, ``no_features``, ``missing_columns``
    or ``pcode_duplicate``.
    """
    path = Path(path)
    raw = open_vector(path)
    missing = [c for c in _COLUMNS.values() if c not in raw.columns]
    if missing:
        found = ", ".join(c for c in raw.columns if c != raw.geometry.name)
        raise EtlError(
            "missing_columns",
            f"Colonnes manquantes dans {path.name} : {', '.join(missing)}. Colonnes trouvées : {found}.",
            f"Missing columns in {path.name}: {', '.join(missing)}. Columns found: {found}.",
        )
    raw = to_wgs84(raw, path.name)

    pcodes = np.array(texts(raw["pcode"]), dtype=object)
    names = [name or "" for name in texts(raw["featureNam"])]
    place_class = pd.to_numeric(raw["popPlaceCl"], errors="coerce").to_numpy(dtype=float)
    geoms = np.asarray(shapely.force_2d(np.asarray(raw.geometry.array, dtype=object)), dtype=object)
    # A single-point MultiPoint is still a place; take its point.
    single_multi = (shapely.get_type_id(geoms) == shapely.GeometryType.MULTIPOINT) & (
        shapely.get_num_geometries(geoms) == 1
    )
    geoms[single_multi] = shapely.get_geometry(geoms[single_multi], 0)

    reasons = np.full(len(raw), None, dtype=object)
    checks = [
        (~np.isin(place_class, [1, 2, 3, 4, 5]), "place class not 1 to 5"),
        (shapely.is_geometry(geoms) & (shapely.get_type_id(geoms) != shapely.GeometryType.POINT), "not a point"),
        (shapely.is_geometry(geoms) & shapely.is_empty(geoms), "empty geometry"),
        (~shapely.is_geometry(geoms), "missing geometry"),
        (pd.isna(pcodes), "missing P-code"),
    ]
    # Later checks overwrite earlier ones, so the most basic reason is the one reported.
    for mask, reason in checks:
        reasons[mask] = reason
    rejected = pd.notna(reasons)
    report = LayerReport(read=len(raw))
    report.rejected = [
        {"pcode": pcodes[i], "reason": f"{reasons[i]} (feature {i + 1}, name '{names[i]}')"}
        for i in np.flatnonzero(rejected)
    ]

    keep = ~rejected
    kept_pcodes = pd.Series(pcodes[keep], dtype=object)
    duplicated = sorted(kept_pcodes[kept_pcodes.duplicated(keep=False)].unique())
    if duplicated:
        raise EtlError(
            "pcode_duplicate",
            f"P-codes en double dans {path.name} ({len(duplicated)}) : {', '.join(duplicated[:20])}",
            f"Duplicate P-codes in {path.name} ({len(duplicated)}): {', '.join(duplicated[:20])}",
        )

    alt_columns = [c for c in _ALT_COLUMNS if c in raw.columns]
    alt_names = distinct_alt_names(raw, alt_columns, names)
    gdf = gpd.GeoDataFrame(
        {
            "pcode": kept_pcodes,
            "name": pd.Series([n for n, k in zip(names, keep, strict=True) if k], dtype=object),
            "alt_names": pd.Series([a for a, k in zip(alt_names, keep, strict=True) if k], dtype=object),
            "place_class": place_class[keep].astype(int),
            "admin3_pcode": pd.Series(np.array(texts(raw["admin3Pcod"]), dtype=object)[keep], dtype=object),
        },
        geometry=gpd.GeoSeries(geoms[keep], crs=4326),
    )
    return gdf[OUTPUT_COLUMNS], report
