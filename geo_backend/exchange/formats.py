"""Export files: CSV with HXL hashtags and XLSX for tables; GeoJSON, GeoPackage, zipped Shapefile and KML for zones
(written by GDAL through pyogrio). Pure: rows and features in, bytes out."""
import io
import json
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely
from openpyxl import Workbook
from openpyxl.styles import Font

from etl.hxl import csv_bytes, is_dictionary_tag

TABLE_FORMATS = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
GEO_FORMATS = {"geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3",
               "shp": "application/zip", "kml": "application/vnd.google-earth.kml+xml"}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "geojson": "geojson", "gpkg": "gpkg", "shp": "zip", "kml": "kml"}


def table_csv(columns: list[tuple[str, str, str | None]], rows: list[dict]) -> bytes:
    """columns: (key, header, hashtag). One header row, the HXL row, then the rows."""
    return csv_bytes([h for _k, h, _t in columns], ([row.get(k) for k, _h, _t in columns] for row in rows),
                     [t for _k, _h, t in columns])


def _sheet(workbook: Workbook, title: str, columns, rows, *, first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    sheet.append([h for _k, h, _t in columns])
    sheet.append([t if is_dictionary_tag(t) else None for _k, _h, t in columns])
    for row in rows:
        sheet.append(["; ".join(map(str, v)) if isinstance(v := row.get(k), list | tuple) else v
                      for k, _h, _t in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"
    return sheet


def table_xlsx(sheets: list[tuple[str, list, list[dict]]]) -> bytes:
    """One sheet per (title, columns, rows): header row, HXL row, rows."""
    workbook = Workbook()
    for position, (title, columns, rows) in enumerate(sheets):
        _sheet(workbook, title, columns, rows, first=position == 0)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def features_frame(features: list[dict], properties) -> gpd.GeoDataFrame:
    geometries = [shapely.from_geojson(json.dumps(f["geometry"])) if f.get("geometry") else None for f in features]
    records = [properties(f) for f in features]
    frame = gpd.GeoDataFrame(records, geometry=geometries, crs="EPSG:4326")
    if frame.empty:  # GDAL needs to know the columns even without rows
        frame = gpd.GeoDataFrame(columns=[*(properties({"properties": {"zone": 0, "intervention": 0, "title": ""}})),
                                          "geometry"], geometry="geometry", crs="EPSG:4326")
    return frame


def geo_file(frame: gpd.GeoDataFrame, output: str, *, layer: str = "zones") -> bytes:
    """The frame as a GeoPackage, a zipped Shapefile or KML, written by GDAL."""
    drivers = {"gpkg": ("GPKG", ".gpkg"), "shp": ("ESRI Shapefile", ".shp"), "kml": ("KML", ".kml")}
    driver, suffix = drivers[output]
    frame = frame.copy()
    for column in frame.columns:
        if column != "geometry" and frame[column].dtype == object:
            frame[column] = frame[column].map(lambda v: None if v is None else str(v))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{layer}{suffix}"
        pyogrio.write_dataframe(frame, path, driver=driver, layer=layer, promote_to_multi=output != "kml",
                                encoding="UTF-8" if output == "shp" else None)
        if output != "shp":
            return path.read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in sorted(Path(folder).iterdir()):
                archive.write(part, part.name)
        return buffer.getvalue()
