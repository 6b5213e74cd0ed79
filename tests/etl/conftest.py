"""Fixtures for the ETL tests: small hand-made layers and the real Mali files.

These tests need neither Django nor a database
(``pytest tests/etl -p no:django``).
"""

import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

# With "-p no:django" nothing else puts the project root on sys.path, and etl/ lives there.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BUNDLED_DIR = ROOT / "data" / "regions"

# A parent square of 0.2° in southern Mali (about 22 km a side) split into a 2x2 grid.
X0, Y0, STEP = -8.0, 12.0, 0.1


def layer(rows: list[dict], crs="EPSG:4326") -> gpd.GeoDataFrame:
    """A layer with the columns read_admin_layer returns, from dicts with at least pcode and geometry."""
    defaults = {"name": "Nom", "parent_pcode": None, "alt_names": [], "valid_on": None, "level": 2}
    records = [{**defaults, **{k: v for k, v in row.items() if k != "geometry"}} for row in rows]
    return gpd.GeoDataFrame(records, geometry=[row["geometry"] for row in rows], crs=crs)


def square(col: int, row: int) -> shapely.Polygon:
    return shapely.box(X0 + col * STEP, Y0 + row * STEP, X0 + (col + 1) * STEP, Y0 + (row + 1) * STEP)


@pytest.fixture
def parent_layer() -> gpd.GeoDataFrame:
    return layer([{"pcode": "ML01", "name": "Région", "level": 1, "geometry": shapely.box(X0, Y0, X0 + 0.2, Y0 + 0.2)}])


@pytest.fixture
def grid_children() -> gpd.GeoDataFrame:
    """Four squares exactly covering the parent: ML0101 bottom-left, ML0102 bottom-right, then the top row."""
    cells = [(0, 0), (1, 0), (0, 1), (1, 1)]
    return layer(
        [
            {"pcode": f"ML010{i + 1}", "name": f"Cercle {i + 1}", "parent_pcode": "ML01", "geometry": square(*cell)}
            for i, cell in enumerate(cells)
        ]
    )


@pytest.fixture(scope="session")
def mali_dir(tmp_path_factory) -> Path:
    """The real Mali files, unpacked from the copies committed in data/regions/ (sha256 checked)."""
    from etl.sources import fetch_source, load_manifest

    folder = tmp_path_factory.mktemp("mali")
    for source in load_manifest(BUNDLED_DIR / "manifest.json")["sources"]:
        fetch_source(source, mirror_dir=None, download_base_url=None, cache_dir=folder, bundled_dir=BUNDLED_DIR)
    return folder
