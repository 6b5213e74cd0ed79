import os
import zipfile

import geopandas as gpd
import numpy as np
import pytest
import shapely

from etl.boundaries import read_admin_layer
from etl.cleaning import polygonal_parts_as_multipolygons
from etl.errors import EtlError

SQUARE = shapely.box(-8.0, 12.0, -7.9, 12.1)
OTHER = shapely.box(-7.9, 12.0, -7.8, 12.1)


def cod_frame(geometries, pcodes=None, **extra):
    """A COD-AB style level-2 frame (classic column names)."""
    n = len(geometries)
    pcodes = pcodes or [f"ML010{i + 1}" for i in range(n)]
    data = {
        "admin1Pcod": ["ML01"] * n,
        "admin2Name": [f"Cercle {i}" for i in range(n)],
        "admin2Pcod": pcodes,
        "admin2AltN": [None] * n,
        "admin2Al_1": [None] * n,
        "admin2RefN": [f"Cercle {i}" for i in range(n)],
        "validOn": ["2015-04-08"] * n,
        **extra,
    }
    return gpd.GeoDataFrame(data, geometry=list(geometries), crs=4326)


def write(gdf, path, **kwargs):
    gdf.to_file(path, **kwargs)
    return path


def expect_error(code, *args, **kwargs):
    with pytest.raises(EtlError) as info:
        read_admin_layer(*args, **kwargs)
    assert info.value.code == code, str(info.value)
    assert info.value.message_fr and info.value.message_en
    return info.value


def test_cod_layer_standard_columns(tmp_path):
    frame = cod_frame([SQUARE, OTHER])
    frame.loc[0, "admin2AltN"] = "Autre nom"
    frame.loc[0, "admin2Al_1"] = "Autre nom"
    path = write(frame, tmp_path / "cercles.geojson")
    gdf, report = read_admin_layer(path, level=2)
    assert list(gdf.columns) == ["pcode", "name", "parent_pcode", "alt_names", "valid_on", "level", "geometry"]
    assert gdf.crs.to_epsg() == 4326
    first = gdf.iloc[0]
    assert (first.pcode, first["name"], first.parent_pcode, first.valid_on, first.level) == (
        "ML0101",
        "Cercle 0",
        "ML01",
        "2015-04-08",
        2,
    )
    assert first.alt_names == ["Autre nom"]  # distinct, and RefN equal to the name is left out
    assert gdf.iloc[1].alt_names == []
    assert report.read == 2 and report.repaired == [] and report.rejected == []
    assert report.summary_lines()[0].startswith("Read 2 features")


def test_newer_cod_columns(tmp_path):
    frame = gpd.GeoDataFrame(
        {"ADM2_FR": ["Kayes"], "ADM2_EN": ["Kayes town"], "ADM2_PCODE": ["ML0101"], "ADM1_PCODE": ["ML01"]},
        geometry=[SQUARE],
        crs=4326,
    )
    gdf, _ = read_admin_layer(write(frame, tmp_path / "new.geojson"), level=2)
    assert gdf.loc[0, ["pcode", "name", "parent_pcode"]].tolist() == ["ML0101", "Kayes", "ML01"]
    assert gdf.loc[0, "alt_names"] == ["Kayes town"]
    assert gdf.loc[0, "valid_on"] is None


def test_geoboundaries_has_no_parent(tmp_path):
    frame = gpd.GeoDataFrame({"shapeName": ["Kayes"], "shapeID": ["MLI-ADM2-1"]}, geometry=[SQUARE], crs=4326)
    gdf, _ = read_admin_layer(write(frame, tmp_path / "gb.geojson"), level=2)
    assert gdf.loc[0, "pcode"] == "MLI-ADM2-1"
    assert gdf.loc[0, "parent_pcode"] is None  # None, not NaN


def test_mapping_format_and_numeric_codes(tmp_path):
    frame = gpd.GeoDataFrame(
        {"CODE": [101.0], "NOM": ["Kita"], "PARENT": ["1"], "AUTRE": ["Kita ville"]}, geometry=[SQUARE], crs=4326
    )
    path = write(frame, tmp_path / "m.geojson")
    mapping = {"pcode": "CODE", "name": "NOM", "parent_pcode": "PARENT", "alt_names": ["AUTRE"]}
    gdf, _ = read_admin_layer(path, level=2, fmt="mapping", mapping=mapping)
    assert gdf.loc[0, ["pcode", "name", "parent_pcode", "alt_names"]].tolist() == ["101", "Kita", "1", ["Kita ville"]]
    error = expect_error("missing_columns", path, level=2, mapping={"pcode": "CODE", "name": "NAME_COL"})
    assert "NAME_COL" in error.message_en
    expect_error("mapping_invalid", path, level=2, fmt="mapping", mapping={"pcode": "CODE"})
    expect_error("format_unknown", path, level=2, fmt="shapefile")


def test_geopackage_layer(tmp_path):
    path = tmp_path / "admin.gpkg"
    write(cod_frame([SQUARE]), path, layer="cercles", driver="GPKG")
    write(gpd.GeoDataFrame({"x": [1]}, geometry=[OTHER], crs=4326), path, layer="other", driver="GPKG")
    gdf, _ = read_admin_layer(path, level=2, layer="cercles")
    assert gdf["pcode"].tolist() == ["ML0101"]
    error = expect_error("file_unreadable", path, level=2, layer="communes")
    assert "cercles" in error.message_en


def _zip_shapefile(tmp_path, frame, keep_prj=True):
    folder = tmp_path / "shp"
    folder.mkdir()
    write(frame, folder / "cercles.shp")
    if not keep_prj:
        os.remove(folder / "cercles.prj")
    archive = tmp_path / "cercles.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    return archive


def test_zipped_shapefile(tmp_path):
    gdf, _ = read_admin_layer(_zip_shapefile(tmp_path, cod_frame([SQUARE])), level=2, fmt="cod")
    assert gdf["pcode"].tolist() == ["ML0101"]
    assert gdf.loc[0, "valid_on"] == "2015-04-08"


def test_zipped_shapefile_without_prj_is_crs_unreadable(tmp_path):
    expect_error("crs_unreadable", _zip_shapefile(tmp_path, cod_frame([SQUARE]), keep_prj=False), level=2)


def test_corrupt_file(tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_bytes(np.random.default_rng(1).bytes(300))
    expect_error("file_unreadable", path, level=2)
    expect_error("file_unreadable", tmp_path / "nowhere.geojson", level=2)


def test_missing_column_is_named(tmp_path):
    path = write(cod_frame([SQUARE]).drop(columns="admin1Pcod"), tmp_path / "c.geojson")
    error = expect_error("missing_columns", path, level=2)
    assert "admin1Pcod" in error.message_en and "admin1Pcod" in error.message_fr


def test_wrong_level_gives_a_hint(tmp_path):
    error = expect_error("missing_columns", write(cod_frame([SQUARE]), tmp_path / "c.geojson"), level=3)
    assert "level(s) 1, 2" in error.message_en


def test_duplicate_pcodes_are_listed(tmp_path):
    path = write(cod_frame([SQUARE, OTHER, SQUARE], pcodes=["ML0101", "ML0102", "ML0101"]), tmp_path / "d.geojson")
    error = expect_error("pcode_duplicate", path, level=2)
    assert "ML0101" in error.message_en and "ML0102" not in error.message_en


def test_zero_features(tmp_path):
    path = tmp_path / "empty.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    expect_error("no_features", path, level=2)


def test_bow_tie_is_repaired_and_reported(tmp_path):
    bow_tie = shapely.Polygon([(-8.0, 12.0), (-7.9, 12.1), (-7.9, 12.0), (-8.0, 12.1), (-8.0, 12.0)])
    assert not bow_tie.is_valid
    gdf, report = read_admin_layer(write(cod_frame([bow_tie, OTHER]), tmp_path / "b.geojson"), level=2)
    geom = gdf.loc[0, "geometry"]
    assert geom.is_valid and geom.geom_type == "MultiPolygon" and len(geom.geoms) == 2
    assert geom.area == pytest.approx(0.005)  # both triangles kept
    assert report.repaired == [{"pcode": "ML0101", "reason": "Self-intersection[-7.95 12.05]"}]
    assert any("ML0101" in line for line in report.summary_lines())


def test_3d_polygon_is_flattened(tmp_path):
    square_3d = shapely.force_3d(SQUARE, z=250.0)
    gdf, _ = read_admin_layer(write(cod_frame([square_3d]), tmp_path / "z.geojson"), level=2)
    assert not shapely.has_z(gdf.loc[0, "geometry"])
    assert gdf.loc[0, "geometry"].equals(shapely.MultiPolygon([SQUARE]))


def test_polygon_becomes_multipolygon(tmp_path):
    gdf, _ = read_admin_layer(write(cod_frame([SQUARE]), tmp_path / "p.geojson"), level=2)
    assert gdf.geom_type.tolist() == ["MultiPolygon"]


def test_web_mercator_file_is_reprojected(tmp_path):
    frame = cod_frame([SQUARE]).to_crs(3857)
    gdf, _ = read_admin_layer(write(frame, tmp_path / "m.gpkg", driver="GPKG"), level=2)
    assert gdf.crs.to_epsg() == 4326
    assert np.allclose(gdf.total_bounds, SQUARE.bounds, atol=1e-9)


def test_non_polygons_and_missing_pcodes_are_rejected(tmp_path):
    line = shapely.LineString([(-8, 12), (-7.9, 12.1)])
    frame = cod_frame([SQUARE, line, OTHER], pcodes=["ML0101", "ML0102", None])
    gdf, report = read_admin_layer(write(frame, tmp_path / "r.geojson"), level=2)
    assert gdf["pcode"].tolist() == ["ML0101"]
    reasons = {entry["pcode"]: entry["reason"] for entry in report.rejected}
    assert reasons["ML0102"] == "not a polygon (Linestring)"
    assert reasons[None].startswith("missing P-code (feature 3")
    assert report.read == 3


def test_collections_keep_only_polygon_parts():
    collection = shapely.GeometryCollection(
        [SQUARE, shapely.LineString([(0, 0), (1, 1)]), shapely.MultiPolygon([OTHER]), shapely.Point(5, 5)]
    )
    result = polygonal_parts_as_multipolygons(np.array([collection, shapely.Point(1, 1), SQUARE], dtype=object))
    assert result[0].geom_type == "MultiPolygon" and len(result[0].geoms) == 2
    assert result[0].area == pytest.approx(SQUARE.area + OTHER.area)
    assert result[1].is_empty
    assert result[2].equals(shapely.MultiPolygon([SQUARE]))


@pytest.mark.realdata
def test_real_communes_are_read_as_cod(mali_dir):
    gdf, report = read_admin_layer(mali_dir / "admin3_communes.geojson", level=3)
    assert len(gdf) == 701 and report.read == 701
    assert report.repaired == [] and report.rejected == []
    assert set(gdf.geom_type) == {"MultiPolygon"}
    assert gdf["pcode"].str.match(r"^ML\d{6}$").all()
    assert (gdf["pcode"].str[:6] == gdf["parent_pcode"]).all()
    assert set(gdf["valid_on"]) == {"2015-04-08"}
    assert gdf.set_index("pcode").loc["ML090104", "name"] == "Commune IV"


def test_polygon_collapsing_on_repair_is_rejected(tmp_path):
    flat = shapely.Polygon([(-8.0, 12.0), (-7.9, 12.0), (-7.8, 12.0), (-8.0, 12.0)])  # no area at all
    gdf, report = read_admin_layer(write(cod_frame([SQUARE, flat]), tmp_path / "f.geojson"), level=2)
    assert gdf["pcode"].tolist() == ["ML0101"]
    assert [entry["pcode"] for entry in report.repaired] == ["ML0102"]
    assert report.rejected == [{"pcode": "ML0102", "reason": "no polygon left after repair"}]
