import json

import pytest

from etl.errors import EtlError
from etl.localities import read_localities


def feature(pcode, x=-8.0, name="Bambela", place_class=5, geometry=True, z=False):
    coordinates = [x, 12.0, 300.0] if z else [x, 12.0]
    return {
        "type": "Feature",
        "properties": {
            "featureNam": name,
            "pcode": pcode,
            "featureRef": name,
            "featureAlt": "Bambéla",
            "featureA_1": None,
            "popPlaceCl": place_class,
            "admin3Pcod": "ML010101",
        },
        "geometry": {"type": "Point", "coordinates": coordinates} if geometry else None,
    }


def gazetteer(tmp_path, features):
    path = tmp_path / "localities.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_columns_and_rejections(tmp_path):
    path = gazetteer(
        tmp_path,
        [
            feature("ML010101001", z=True),
            feature("ML010101002", geometry=False),
            feature(None, name="Sans code"),
            feature("ML010101004", place_class=9),
        ],
    )
    gdf, report = read_localities(path)
    assert list(gdf.columns) == ["pcode", "name", "alt_names", "place_class", "admin3_pcode", "geometry"]
    assert gdf.crs.to_epsg() == 4326
    row = gdf.iloc[0]
    assert (row.pcode, row["name"], row.alt_names, row.place_class, row.admin3_pcode) == (
        "ML010101001",
        "Bambela",
        ["Bambéla"],
        5,
        "ML010101",
    )
    assert row.geometry.geom_type == "Point" and not row.geometry.has_z
    assert report.read == 4
    reasons = sorted(entry["reason"].split(" (")[0] for entry in report.rejected)
    assert reasons == ["missing P-code", "missing geometry", "place class not 1 to 5"]


def test_duplicate_pcodes(tmp_path):
    with pytest.raises(EtlError) as info:
        read_localities(gazetteer(tmp_path, [feature("ML010101001"), feature("ML010101001", x=-7.0)]))
    assert info.value.code == "pcode_duplicate" and "ML010101001" in info.value.message_en


def test_missing_columns(tmp_path):
    bad = feature("ML010101001")
    del bad["properties"]["popPlaceCl"]
    with pytest.raises(EtlError) as info:
        read_localities(gazetteer(tmp_path, [bad]))
    assert info.value.code == "missing_columns" and "popPlaceCl" in info.value.message_en


@pytest.mark.realdata
def test_real_gazetteer(mali_dir):
    gdf, report = read_localities(mali_dir / "localities_ocha_2015.geojson")
    assert len(gdf) == 18_769 and report.rejected == []
    assert gdf["place_class"].value_counts().sort_index().to_dict() == {1: 1, 2: 8, 3: 41, 4: 650, 5: 18_069}
    assert gdf["pcode"].is_unique
    assert set(gdf.geom_type) == {"Point"}
    assert gdf.set_index("place_class").loc[1, "name"] == "Bamako"
