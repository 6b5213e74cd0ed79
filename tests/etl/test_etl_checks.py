import pytest
import shapely
from conftest import STEP, X0, Y0, layer, square

from etl.boundaries import check_layer, read_admin_layer


def checks_of(problems):
    return sorted((p["check"], p["pcode"]) for p in problems)


def test_clean_grid_has_no_problems(grid_children, parent_layer):
    assert check_layer(grid_children, parent_layer) == []
    assert check_layer(grid_children) == []


def test_missing_name(grid_children):
    grid_children.loc[1, "name"] = "  "
    grid_children.loc[2, "name"] = None
    assert checks_of(check_layer(grid_children)) == [("name_missing", "ML0102"), ("name_missing", "ML0103")]


def test_pcode_not_starting_with_parent_pcode(grid_children, parent_layer):
    grid_children.loc[3, "pcode"] = "ML0201"
    problems = check_layer(grid_children, parent_layer)
    assert checks_of(problems) == [("pcode_prefix", "ML0201")]
    assert "ML01" in problems[0]["detail"]


def test_parent_not_found(grid_children, parent_layer):
    grid_children.loc[0, ["pcode", "parent_pcode"]] = ["ML0901", "ML09"]
    found = checks_of(check_layer(grid_children, parent_layer))
    assert ("parent_missing", "ML0901") in found
    # Its square is no longer counted for ML01, which leaves a gap there.
    assert ("gap", "ML01") in found


def test_child_outside_its_parent(grid_children, parent_layer):
    grid_children.loc[3, "geometry"] = shapely.affinity.translate(square(1, 1), xoff=0.01)
    problems = check_layer(grid_children, parent_layer)
    outside = [p for p in problems if p["check"] == "outside_parent"]
    assert [p["pcode"] for p in outside] == ["ML0104"]
    assert "10.00 %" in outside[0]["detail"]


def test_tiny_spill_outside_parent_is_tolerated(grid_children, parent_layer):
    # 1e-5 degree out of 0.1: 0.01 % of the child's area, below the 0.1 % threshold.
    grid_children.loc[3, "geometry"] = shapely.box(X0 + STEP, Y0 + STEP, X0 + 2 * STEP + 1e-5, Y0 + 2 * STEP)
    assert [p for p in check_layer(grid_children, parent_layer) if p["check"] == "outside_parent"] == []


def test_overlapping_siblings(grid_children, parent_layer):
    # ML0101 grows 0.01° into ML0102: about 12 km² of overlap.
    grid_children.loc[0, "geometry"] = shapely.box(X0, Y0, X0 + STEP + 0.01, Y0 + STEP)
    problems = check_layer(grid_children, parent_layer)
    assert checks_of(problems) == [("overlap", "ML0101")]
    assert "ML0102" in problems[0]["detail"]


def test_overlap_below_tolerance_is_ignored(grid_children):
    grid_children.loc[0, "geometry"] = shapely.box(X0, Y0, X0 + STEP + 1e-6, Y0 + STEP)  # about 0.001 km²
    assert check_layer(grid_children) == []
    assert checks_of(check_layer(grid_children, overlap_tolerance_km2=0.0001)) == [("overlap", "ML0101")]


def test_gap_in_parent(grid_children, parent_layer):
    problems = check_layer(grid_children.drop(index=2), parent_layer)
    assert checks_of(problems) == [("gap", "ML01")]
    assert "25.00 %" in problems[0]["detail"]


def test_small_gap_is_tolerated(grid_children, parent_layer):
    # Shrinking one square by 1e-4° leaves about 1.1 km² x 0.011 = 0.12 km² uncovered.
    grid_children.loc[3, "geometry"] = shapely.box(X0 + STEP, Y0 + STEP, X0 + 2 * STEP - 1e-4, Y0 + 2 * STEP)
    assert check_layer(grid_children, parent_layer) == []
    assert checks_of(check_layer(grid_children, parent_layer, gap_tolerance_km2=0.01)) == [("gap", "ML01")]


def test_parent_without_children(grid_children, parent_layer):
    parents = layer(
        [
            *parent_layer.to_dict("records"),
            {"pcode": "ML02", "name": "Autre", "geometry": shapely.box(X0 + 1, Y0, X0 + 1.2, Y0 + 0.2)},
        ]
    )
    assert checks_of(check_layer(grid_children, parents)) == [("no_children", "ML02")]


@pytest.mark.realdata
def test_real_communes_inside_their_cercles(mali_dir):
    communes, _ = read_admin_layer(mali_dir / "admin3_communes.geojson", level=3)
    cercles, _ = read_admin_layer(mali_dir / "admin2_cercles.geojson", level=2)
    # How long this takes is a benchmark figure (bench/workloads/etl.py), not a test assertion.
    assert len(communes) == 701 and len(cercles) == 50
    assert check_layer(communes, cercles) == []


@pytest.mark.realdata
def test_real_cercles_inside_their_regions(mali_dir):
    cercles, _ = read_admin_layer(mali_dir / "admin2_cercles.geojson", level=2)
    regions, _ = read_admin_layer(mali_dir / "admin1_regions.geojson", level=1)
    assert check_layer(cercles, regions) == []
