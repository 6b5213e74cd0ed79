"""Loading boundary layers: idempotency, dry run, and bad files rejected with nothing written."""
import zipfile

import geopandas as gpd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely.geometry import box

from geo_backend.common.errors import DomainError
from geo_backend.regions import services
from geo_backend.regions.loaders import boundary_layer_load
from geo_backend.regions.models import AdminUnit

from . import grid

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    edition, _ = services.edition_upsert(slug="grille-test", name="Grille de test", pcode_scheme="test")
    return edition


def unit_count(edition):
    return AdminUnit.objects.filter(edition=edition).count()


def test_grid_loads_with_hierarchy_and_geodesic_areas(tmp_path, edition):
    reports = grid.load_grid(tmp_path, edition)
    assert [r.total("created") for r in reports] == [1, 1, 1, 4]
    commune = AdminUnit.objects.get(edition=edition, pcode="ZZ010101")
    assert commune.parent.pcode == "ZZ0101" and commune.parent.parent.pcode == "ZZ01"
    assert commune.name == "Commune Nord-Ouest"
    # The same square measured by geopandas in an equal-area projection.
    expected = gpd.GeoSeries([box(-6.5, 13.5, -6.0, 14.0)], crs=4326).to_crs("ESRI:102022").area.iloc[0] / 1e6
    assert commune.area_km2 == pytest.approx(expected, rel=0.005)
    assert commune.geom.geom_type == "MultiPolygon" and commune.web_geom.geom_type == "MultiPolygon"


def test_second_load_changes_nothing(tmp_path, edition):
    grid.load_grid(tmp_path, edition)
    stamps = dict(AdminUnit.objects.filter(edition=edition).values_list("pcode", "updated_at"))
    again = grid.load_grid(tmp_path, edition)
    assert [(r.total("created"), r.total("updated"), r.total("unchanged")) for r in again] == [
        (0, 0, 1), (0, 0, 1), (0, 0, 1), (0, 0, 4)]
    assert dict(AdminUnit.objects.filter(edition=edition).values_list("pcode", "updated_at")) == stamps


def test_changed_name_is_an_update(tmp_path, edition):
    grid.load_grid(tmp_path, edition)
    features = grid.commune_features()
    features[0]["properties"]["admin3Name"] = "Commune Renommée"
    report = boundary_layer_load(path=grid.commune_file(tmp_path / "c.geojson", features), edition=edition, level=3)
    assert (report.total("created"), report.total("updated"), report.total("unchanged")) == (0, 1, 3)
    assert AdminUnit.objects.get(edition=edition, pcode="ZZ010101").name == "Commune Renommée"


def test_unknown_parent_is_refused_and_nothing_written(tmp_path, edition):
    with pytest.raises(DomainError) as error:
        boundary_layer_load(path=grid.commune_file(tmp_path / "c.geojson"), edition=edition, level=3)
    assert error.value.code == "parent_missing"
    assert unit_count(edition) == 0


def run_file_load(path, level=3, **extra):
    call_command("load_boundaries", file=str(path), level=level, edition="grille-test", **extra)


def test_dry_run_writes_nothing(tmp_path, edition):
    grid.load_grid(tmp_path, edition)
    features = grid.commune_features()
    features[1]["properties"]["admin3Name"] = "Autre nom"
    path = grid.commune_file(tmp_path / "changed.geojson", features)
    call_command("load_boundaries", file=str(path), level=3, edition="grille-test", dry_run=True)
    assert AdminUnit.objects.get(edition=edition, pcode="ZZ010102").name == "Commune Nord-Est"


def bad_corrupt(tmp_path):
    path = tmp_path / "corrupt.geojson"
    path.write_bytes(b"\x00\x01 this is not geojson {{{")
    return path


def bad_missing_column(tmp_path):
    features = grid.commune_features()
    for feature in features:
        del feature["properties"]["admin3Pcod"]
    return grid.commune_file(tmp_path / "missing.geojson", features)


def bad_pcode_clash(tmp_path):
    features = grid.commune_features()
    features[1]["properties"]["admin3Pcod"] = features[0]["properties"]["admin3Pcod"]
    return grid.commune_file(tmp_path / "clash.geojson", features)


def bad_no_crs(tmp_path):
    frame = gpd.read_file(grid.commune_file(tmp_path / "c.geojson"))
    folder = tmp_path / "shp"
    folder.mkdir()
    frame.to_file(folder / "communes.shp")
    (folder / "communes.prj").unlink()
    archive = tmp_path / "communes.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in folder.iterdir():
            zipped.write(part, part.name)
    return archive


def bad_empty(tmp_path):
    return grid.commune_file(tmp_path / "empty.geojson", [])


@pytest.mark.parametrize(
    ("make_file", "code"),
    [
        (bad_corrupt, "file_unreadable"),
        (bad_missing_column, "missing_columns"),
        (bad_pcode_clash, "pcode_duplicate"),
        (bad_no_crs, "crs_unreadable"),
        (bad_empty, "no_features"),
    ],
)
def test_bad_files_are_refused_with_a_clear_error_and_nothing_written(tmp_path, edition, make_file, code):
    grid.load_grid(tmp_path, edition)
    before = list(AdminUnit.objects.filter(edition=edition).order_by("pcode").values_list("pcode", "name"))
    with pytest.raises(CommandError) as error:
        run_file_load(make_file(tmp_path))
    assert f"[{code}]" in str(error.value) and "nothing written" in str(error.value)
    assert list(AdminUnit.objects.filter(edition=edition).order_by("pcode").values_list("pcode", "name")) == before


def test_unknown_manifest_source_is_a_clear_error(db):
    with pytest.raises(CommandError, match="not_in_manifest"):
        call_command("load_boundaries", "admin9")
    assert not AdminUnit.objects.filter(level=9).exists()
