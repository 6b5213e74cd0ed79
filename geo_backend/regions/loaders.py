"""Glue between etl/ (files -> GeoDataFrames) and the services (GeoDataFrames -> PostGIS).

Each loader: fetch the file (mirror or download, sha256 checked), read and check it with etl/, then upsert in
the caller's transaction. Commands wrap a whole run in one transaction, and roll it back for --dry-run.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import shapely
from django.conf import settings

from etl.boundaries import WEB_TOLERANCE_BY_LEVEL, check_layer, read_admin_layer, web_geometries
from etl.errors import EtlError
from etl.localities import read_localities
from etl.names import name_variants, normalise_name
from etl.population import read_pcode_crosswalk, read_population_csv
from etl.sources import fetch_source, load_manifest, source_by_id
from geo_backend.common.errors import DomainError

from . import services
from .models import AdminUnit, Edition

MANIFEST_PATH = settings.BASE_DIR / "data" / "regions" / "manifest.json"


@dataclass
class LoadReport:
    """What one load did: counts per part, and readable lines (repairs, rejections, check problems)."""

    counts: dict[str, services.LoadCounts] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def total(self, attribute: str) -> int:
        return sum(getattr(c, attribute) for c in self.counts.values())


Progress = Callable[[str], None]


def _silent(_step: str) -> None:
    """The default progress: say nothing."""


def domain_error_from(error: EtlError) -> DomainError:
    return DomainError(error.code, error.message_fr, error.message_en)


def manifest() -> dict:
    try:
        return load_manifest(MANIFEST_PATH)
    except EtlError as error:
        raise domain_error_from(error) from error


def source_file(source: dict) -> Path:
    """The local path of a manifest source: the mirror if set, else the committed copy, else a download
    (sha256 checked in every case)."""
    try:
        return fetch_source(
            source,
            mirror_dir=settings.BOUNDARY_MIRROR or None,
            bundled_dir=settings.BOUNDARY_BUNDLED_DIR,
            download_base_url=settings.BOUNDARY_DOWNLOAD_BASE_URL or None,
            cache_dir=settings.BOUNDARY_CACHE,
        )
    except EtlError as error:
        raise domain_error_from(error) from error


def edition_from_manifest(slug: str) -> Edition:
    entry = next((e for e in manifest()["editions"] if e["slug"] == slug), None)
    if entry is None:
        existing = Edition.objects.filter(slug=slug).first()
        if existing:
            return existing
        raise DomainError(
            "edition_unknown",
            f"Édition inconnue : {slug}. Décrivez-la dans data/regions/manifest.json.",
            f"Unknown edition: {slug}. Describe it in data/regions/manifest.json.",
        )
    edition, _changed = services.edition_upsert(**entry)
    return edition


def stored_layer(edition: Edition, level: int) -> gpd.GeoDataFrame:
    """The stored units of one level as a GeoDataFrame (for checking a child layer against its parents)."""
    rows = list(
        AdminUnit.objects.filter(edition=edition, level=level).values_list("pcode", "name", "parent__pcode", "geom")
    )
    geometries = shapely.from_wkb([bytes(r[3].wkb) for r in rows]) if rows else []
    return gpd.GeoDataFrame(
        {"pcode": [r[0] for r in rows], "name": [r[1] for r in rows], "parent_pcode": [r[2] for r in rows]},
        geometry=gpd.GeoSeries(geometries, crs="EPSG:4326"),
    )


def boundary_layer_load(*, path: Path, edition: Edition, level: int, fmt: str = "auto", mapping=None,
                        layer=None, progress: Progress = _silent) -> LoadReport:
    """Reads, cleans, checks and upserts one admin level of an edition; says each step to progress()."""
    try:
        progress(f"reading {path.name}")
        gdf, layer_report = read_admin_layer(path, level=level, fmt=fmt, mapping=mapping, layer=layer)
        progress(f"checking {len(gdf)} units (inside their parents, overlaps, gaps, P-codes)")
        parents = stored_layer(edition, level - 1) if level > 0 else None
        if parents is not None:
            # Some layers cover only part of the level above (Bamako's quartiers): check against the parents
            # the file names, so the others are not reported as empty. Unknown parents are still caught.
            parents = parents[parents["pcode"].isin(gdf["parent_pcode"])]
        problems = check_layer(gdf, parents if parents is not None and len(parents) else None)
        progress("simplifying the web geometries (shared borders kept)")
        web = web_geometries(gdf, tolerance_deg=WEB_TOLERANCE_BY_LEVEL[level])
    except EtlError as error:
        raise domain_error_from(error) from error
    rows = [
        {
            "pcode": pcode,
            "name": name,
            "name_normalised": normalise_name(name),
            "name_variants": name_variants(name, alt_names),
            "alt_names": list(alt_names),
            "parent_pcode": parent_pcode,
            "valid_on": valid_on,
            "geom_wkb": geom_wkb,
            "web_geom_wkb": web_wkb,
        }
        for pcode, name, alt_names, parent_pcode, valid_on, geom_wkb, web_wkb in zip(
            gdf["pcode"], gdf["name"], gdf["alt_names"], gdf["parent_pcode"], gdf["valid_on"],
            shapely.to_wkb(gdf.geometry.values), shapely.to_wkb(web.values), strict=True,
        )
    ]
    progress(f"writing {len(rows)} units")
    counts = services.admin_units_upsert(edition=edition, level=level, rows=rows)
    counts.rejected = len(layer_report.rejected)
    report = LoadReport(counts={f"level {level}": counts})
    report.lines += layer_report.summary_lines()
    report.lines += [f"check {p['check']}: {p['pcode']} {p['detail']}" for p in problems]
    report.lines += counts.notes
    return report


def population_load(*, source: dict, path: Path, edition: Edition, progress: Progress = _silent) -> LoadReport:
    """Loads population by sex and year (and the older-scheme P-code crosswalk) from a population CSV."""
    level = source["level"]
    report = LoadReport()
    try:
        if source["kind"] == "population":
            progress(f"population by sex and year from {path.name}")
            frame = read_population_csv(path, level=level, years=tuple(source.get("years", (2015, 2017))))
            rows = list(frame[["pcode", "year", "female", "male", "total"]].itertuples(index=False, name=None))
            report.counts[f"population level {level}"] = services.population_upsert(
                edition=edition, level=level, rows=[tuple(int(v) if i else v for i, v in enumerate(r)) for r in rows],
                source=source["id"],
            )
        crosswalk_levels = [level, 1] if source["kind"] == "population" else [level]
        for crosswalk_level in crosswalk_levels:
            progress(f"P-codes of level {crosswalk_level} in the {source['alias_scheme']} scheme (crosswalk)")
            crosswalk = read_pcode_crosswalk(path, level=crosswalk_level, scheme_prefix=source["alias_scheme"])
            report.counts[f"aliases level {crosswalk_level}"] = services.pcode_aliases_upsert(
                edition=edition, level=crosswalk_level, scheme=source["alias_scheme"],
                rows=list(crosswalk[["pcode", "alias_pcode", "alias_name"]].itertuples(index=False, name=None)),
            )
    except EtlError as error:
        raise domain_error_from(error) from error
    return report


def localities_load(*, path: Path, edition: Edition, progress: Progress = _silent) -> LoadReport:
    """Loads the gazetteer of populated places."""
    try:
        progress(f"reading {path.name}")
        gdf, layer_report = read_localities(path)
    except EtlError as error:
        raise domain_error_from(error) from error
    rows = [
        (pcode, name, normalise_name(name), list(alt), int(place_class), commune, point)
        for pcode, name, alt, place_class, commune, point in zip(
            gdf["pcode"], gdf["name"], gdf["alt_names"], gdf["place_class"], gdf["admin3_pcode"],
            shapely.to_wkb(gdf.geometry.values), strict=True,
        )
    ]
    progress(f"writing {len(rows)} localities")
    counts = services.localities_upsert(edition=edition, rows=rows)
    counts.rejected = len(layer_report.rejected)
    report = LoadReport(counts={"localities": counts})
    report.lines += layer_report.summary_lines()
    return report


def manifest_source_load(source_id: str, progress: Progress = _silent) -> LoadReport:
    """Loads one source of the manifest by its id (admin0…admin4, localities, population_…)."""
    try:
        source = source_by_id(manifest(), source_id)
    except EtlError as error:
        raise domain_error_from(error) from error
    if not source.get("edition"):
        return LoadReport(lines=[f"{source_id}: reference only, not loaded ({source.get('note', '')})"])
    edition = edition_from_manifest(source["edition"])
    progress(f"{source['file']}: unpacking and checking its sha256")
    path = source_file(source)
    if source["kind"] == "boundaries":
        return boundary_layer_load(path=path, edition=edition, level=source["level"], fmt=source.get("format", "auto"),
                                   progress=progress)
    if source["kind"] == "localities":
        return localities_load(path=path, edition=edition, progress=progress)
    return population_load(source=source, path=path, edition=edition, progress=progress)


def manifest_source_ids(kind_prefix: str) -> list[str]:
    """The ids of the manifest sources of a kind ("boundaries", "population", "localities"), in manifest order."""
    return [s["id"] for s in manifest()["sources"] if s["kind"].startswith(kind_prefix) and s.get("edition")]
