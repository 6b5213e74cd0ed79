"""Opening vector files through pyogrio, with errors a person can act on."""

import warnings
from pathlib import Path

import geopandas as gpd
import pyogrio
import pyogrio.errors

from etl.errors import EtlError

# RFC 7946: GeoJSON without a "crs" member is WGS 84 longitude/latitude.
_GEOJSON_DRIVERS = {"GeoJSON", "GeoJSONSeq"}


def _unreadable(path: Path, exc: Exception) -> EtlError:
    return EtlError(
        "file_unreadable",
        f"Le fichier {path.name} est illisible (format non reconnu ou fichier abîmé) : {exc}",
        f"The file {path.name} cannot be read (unknown format or damaged file): {exc}",
    )


def open_vector(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file (GeoJSON, GeoPackage, zipped Shapefile...) with a known CRS.

    A path ending in ``.zip`` is read inside the archive. GeoJSON without a CRS is taken
    as EPSG:4326 (RFC 7946); any other format without a readable CRS is refused.
    The CRS is not changed here. Raises EtlError ``file_unreadable``,
    ``crs_unreadable`` or ``no_features``.
    """
    path = Path(path)
    if not path.is_file():
        raise EtlError(
            "file_unreadable",
            f"Le fichier {path} n'existe pas.",
            f"The file {path} does not exist.",
        )
    try:
        info = pyogrio.read_info(path, layer=layer)
    except pyogrio.errors.DataLayerError as exc:
        try:
            layers = ", ".join(str(name) for name in pyogrio.list_layers(path)[:, 0])
        except (pyogrio.errors.DataSourceError, OSError):
            layers = "?"
        raise EtlError(
            "file_unreadable",
            f"La couche « {layer} » est introuvable dans {path.name} (couches : {layers}).",
            f"The layer '{layer}' is not in {path.name} (layers: {layers}).",
        ) from exc
    except (pyogrio.errors.DataSourceError, OSError, ValueError) as exc:
        raise _unreadable(path, exc) from exc

    try:
        with warnings.catch_warnings():
            # pyogrio warns about some odd-but-readable files; errors are raised below.
            warnings.simplefilter("ignore", RuntimeWarning)
            gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    except (RuntimeError, OSError, ValueError) as exc:
        # pyogrio's errors are all RuntimeError subclasses.
        raise _unreadable(path, exc) from exc

    if len(gdf) == 0:
        raise EtlError(
            "no_features",
            f"Le fichier {path.name} ne contient aucune entité.",
            f"The file {path.name} contains no features.",
        )
    if gdf.crs is None:
        if info.get("driver") in _GEOJSON_DRIVERS:
            gdf = gdf.set_crs(4326)
        else:
            raise EtlError(
                "crs_unreadable",
                f"Le système de coordonnées de {path.name} est absent ou illisible "
                "(pour un Shapefile, le fichier .prj manque-t-il ?).",
                f"The coordinate reference system of {path.name} is missing or unreadable "
                "(for a Shapefile, is the .prj file missing?).",
            )
    return gdf


def to_wgs84(gdf: gpd.GeoDataFrame, file_label: str = "") -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326; a CRS that cannot be transformed raises ``crs_unreadable``."""
    if gdf.crs is not None and gdf.crs.equals("EPSG:4326"):
        return gdf
    try:
        return gdf.to_crs(4326)
    except Exception as exc:  # pyproj raises several unrelated types here
        label = file_label or "la couche"
        raise EtlError(
            "crs_unreadable",
            f"Impossible de convertir {label} en WGS 84 depuis {gdf.crs!s:.80} : {exc}",
            f"Cannot convert {file_label or 'the layer'} to WGS 84 from {gdf.crs!s:.80}: {exc}",
        ) from exc
