"""Reading administrative boundary layers into one standard shape.

Whatever the source (OCHA COD-AB, the newer COD columns, geoBoundaries or a file
described by a column mapping), the result has the columns ``pcode, name,
parent_pcode, alt_names, valid_on, level, geometry`` in EPSG:4326, with valid
MultiPolygons.
"""

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from etl.cleaning import clean_geometries
from etl.errors import EtlError
from etl.files import open_vector
from etl.report import LayerReport
from etl.values import distinct_alt_names, texts

FORMATS = ("auto", "cod", "geoboundaries", "mapping")
OUTPUT_COLUMNS = ["pcode", "name", "parent_pcode", "alt_names", "valid_on", "level", "geometry"]


def _cod_spec(level: int, lookup: dict[str, str]) -> tuple[dict, list[str]]:
    """Column spec for COD-AB files: classic (admin2Pcod) or newer (ADM2_PCODE) names."""
    newer = f"adm{level}_pcode" in lookup and f"admin{level}pcod" not in lookup
    if newer:
        name = f"ADM{level}_FR" if f"adm{level}_fr" in lookup or f"adm{level}_en" not in lookup else f"ADM{level}_EN"
        spec = {
            "pcode": f"ADM{level}_PCODE",
            "name": name,
            "parent_pcode": f"ADM{level - 1}_PCODE" if level > 0 else None,
            "alt_names": [f"ADM{level}_EN", f"ADM{level}_REF", f"ADM{level}ALT1FR", f"ADM{level}ALT2FR"],
            "valid_on": "validOn",
        }
    else:
        spec = {
            "pcode": f"admin{level}Pcod",
            "name": f"admin{level}Name",
            "parent_pcode": f"admin{level - 1}Pcod" if level > 0 else None,
            "alt_names": [f"admin{level}AltN", f"admin{level}Al_1", f"admin{level}RefN"],
            "valid_on": "validOn",
        }
    required = [spec["pcode"], spec["name"]] + ([spec["parent_pcode"]] if spec["parent_pcode"] else [])
    return spec, required


def _geoboundaries_spec() -> tuple[dict, list[str]]:
    spec = {"pcode": "shapeID", "name": "shapeName", "parent_pcode": None, "alt_names": [], "valid_on": None}
    return spec, ["shapeID", "shapeName"]


def _mapping_spec(mapping: dict | None) -> tuple[dict, list[str]]:
    if not mapping or not mapping.get("pcode") or not mapping.get("name"):
        raise EtlError(
            "mapping_invalid",
            "La correspondance des colonnes doit indiquer au moins « pcode » et « name ».",
            "The column mapping must give at least 'pcode' and 'name'.",
        )
    alt = mapping.get("alt_names") or []
    spec = {
        "pcode": mapping["pcode"],
        "name": mapping["name"],
        "parent_pcode": mapping.get("parent_pcode") or None,
        "alt_names": [alt] if isinstance(alt, str) else list(alt),
        "valid_on": mapping.get("valid_on") or None,
    }
    required = [
        spec["pcode"],
        spec["name"],
        *([spec["parent_pcode"]] if spec["parent_pcode"] else []),
        *spec["alt_names"],
    ]
    required += [spec["valid_on"]] if spec["valid_on"] else []
    return spec, required


def _levels_hint(lookup: dict[str, str]) -> tuple[str, str]:
    """A hint naming the admin levels the columns suggest, for a likely wrong ``level``."""
    found = sorted({int(m.group(1)) for c in lookup if (m := re.fullmatch(r"adm(?:in)?(\d)(?:pcod|_pcode)", c))})
    if not found:
        return "", ""
    levels = ", ".join(str(n) for n in found)
    return f" Les colonnes évoquent le(s) niveau(x) {levels}.", f" The columns suggest level(s) {levels}."


def _resolve_spec(fmt: str, level: int, lookup: dict[str, str], mapping: dict | None) -> dict:
    """Pick the column spec for the format, and check the columns exist (case-insensitively)."""
    if fmt not in FORMATS:
        raise EtlError(
            "format_unknown",
            f"Format inconnu « {fmt} » ; formats possibles : {', '.join(FORMATS)}.",
            f"Unknown format '{fmt}'; possible formats: {', '.join(FORMATS)}.",
        )
    if fmt == "auto" and mapping:
        fmt = "mapping"
    if fmt == "auto":
        if f"admin{level}pcod" in lookup or f"adm{level}_pcode" in lookup:
            fmt = "cod"
        elif "shapeid" in lookup:
            fmt = "geoboundaries"
        else:
            hint_fr, hint_en = _levels_hint(lookup)
            found = ", ".join(lookup.values())
            raise EtlError(
                "missing_columns",
                f"Format non reconnu pour le niveau {level} : il faut admin{level}Pcod et admin{level}Name (COD), "
                f"ADM{level}_PCODE et ADM{level}_FR (COD récent) ou shapeID et shapeName (geoBoundaries). "
                f"Colonnes trouvées : {found}.{hint_fr}",
                f"Unrecognised format for level {level}: expected admin{level}Pcod and admin{level}Name (COD), "
                f"ADM{level}_PCODE and ADM{level}_FR (newer COD) or shapeID and shapeName (geoBoundaries). "
                f"Columns found: {found}.{hint_en}",
            )
    if fmt == "cod":
        spec, required = _cod_spec(level, lookup)
    elif fmt == "geoboundaries":
        spec, required = _geoboundaries_spec()
    else:
        spec, required = _mapping_spec(mapping)

    missing = [column for column in required if column.lower() not in lookup]
    if missing:
        hint_fr, hint_en = _levels_hint(lookup)
        found = ", ".join(lookup.values())
        raise EtlError(
            "missing_columns",
            f"Colonnes manquantes : {', '.join(missing)}. Colonnes trouvées : {found}.{hint_fr}",
            f"Missing columns: {', '.join(missing)}. Columns found: {found}.{hint_en}",
        )
    # Optional columns that are absent are simply skipped; names are mapped to the file's spelling.
    actual = {key: (lookup.get(value.lower()) if isinstance(value, str) else value) for key, value in spec.items()}
    actual["alt_names"] = [lookup[c.lower()] for c in spec["alt_names"] if c.lower() in lookup]
    return actual


def _valid_on(series: pd.Series) -> list[str | None]:
    # "mixed" accepts both 2015-04-08 and 2015/04/08; real datetimes pass through unchanged.
    dates = pd.to_datetime(series, errors="coerce", format="mixed")
    return [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in dates]


def read_admin_layer(
    path: str | Path,
    *,
    level: int,
    fmt: str = "auto",
    mapping: dict | None = None,
    layer: str | None = None,
) -> tuple[gpd.GeoDataFrame, LayerReport]:
    """Read one administrative level from any OGR file into the standard columns.

    ``fmt`` is "cod" (OCHA COD-AB, classic or newer column names), "geoboundaries",
    "mapping" (``mapping = {"pcode": ..., "name": ..., "parent_pcode": ...,
    "alt_names": [...], "valid_on": ...}``, the last three optional) or "auto"
    (detected from the columns). ``layer`` picks a GeoPackage layer; a ``.zip`` path is
    read inside the archive.

    Returns ``(gdf, report)``: columns ``pcode, name, parent_pcode, alt_names,
    valid_on, level, geometry`` in EPSG:4326, geometries cleaned by
    ``clean_geometries``. Rows without a P-code are rejected and reported.
    Raises EtlError ``file_unreadable``, ``missing_columns``, ``crs_unreadable``,
    ``no_features``, ``pcode_duplicate``, ``format_unknown`` or ``mapping_invalid``.
    """
    path = Path(path)
    raw = open_vector(path, layer=layer)
    lookup = {column.lower(): column for column in raw.columns if column != raw.geometry.name}
    spec = _resolve_spec(fmt, level, lookup, mapping)

    pcodes = pd.Series(texts(raw[spec["pcode"]]), index=raw.index, dtype=object)
    names = [name or "" for name in texts(raw[spec["name"]])]
    parents = texts(raw[spec["parent_pcode"]]) if spec["parent_pcode"] else [None] * len(raw)
    frame = gpd.GeoDataFrame(
        {
            "pcode": pcodes,
            "name": pd.Series(names, index=raw.index, dtype=object),
            "parent_pcode": pd.Series(parents, index=raw.index, dtype=object),
            "alt_names": pd.Series(distinct_alt_names(raw, spec["alt_names"], names), index=raw.index, dtype=object),
            "valid_on": pd.Series(
                _valid_on(raw[spec["valid_on"]]) if spec["valid_on"] else [None] * len(raw),
                index=raw.index,
                dtype=object,
            ),
            "level": int(level),
        },
        geometry=raw.geometry,
        crs=raw.crs,
    )

    no_pcode = frame["pcode"].isna().to_numpy()
    rejected = [
        {"pcode": None, "reason": f"missing P-code (feature {position + 1}, name '{names[position]}')"}
        for position in np.flatnonzero(no_pcode)
    ]
    frame = frame.loc[~no_pcode]

    duplicated = sorted(frame.loc[frame["pcode"].duplicated(keep=False), "pcode"].unique())
    if duplicated:
        shown = ", ".join(duplicated[:20]) + (" …" if len(duplicated) > 20 else "")
        raise EtlError(
            "pcode_duplicate",
            f"P-codes en double dans {path.name} ({len(duplicated)}) : {shown}",
            f"Duplicate P-codes in {path.name} ({len(duplicated)}): {shown}",
        )

    cleaned, report = clean_geometries(frame, path.name)
    report.read = len(raw)
    report.rejected = rejected + report.rejected
    cleaned = cleaned.reset_index(drop=True)[OUTPUT_COLUMNS]
    cleaned["level"] = cleaned["level"].astype(int)
    return cleaned, report
