"""Figures of the pure ETL: how long the topology checks take on the real Mali layers.

No database: the files are unpacked from the copies committed in data/regions/ (sha256 checked) into a temporary
folder, as the ETL tests do.
"""
import statistics
import tempfile
from pathlib import Path

from bench.harness import Options, Result, timed
from etl.boundaries import check_layer, read_admin_layer
from etl.sources import fetch_source, load_manifest

BUNDLED_DIR = Path(__file__).resolve().parents[2] / "data" / "regions"
CHECK_SAMPLES = 3
CHECK_WARMUP = 1
# The old test asserted "under 10 s" for the communes against their cercles; it is an aim here, not a test.
AIM_COMMUNES_CHECK_S = 10.0


def _real_layers(folder: Path) -> dict[int, object]:
    for source in load_manifest(BUNDLED_DIR / "manifest.json")["sources"]:
        fetch_source(source, mirror_dir=None, download_base_url=None, cache_dir=folder, bundled_dir=BUNDLED_DIR)
    return {level: read_admin_layer(folder / name, level=level)[0]
            for level, name in ((1, "admin1_regions.geojson"), (2, "admin2_cercles.geojson"),
                                (3, "admin3_communes.geojson"))}


def check_layer_real(options: Options) -> list[Result]:
    """Seconds of etl.boundaries.check_layer for the real communes inside their cercles, and cercles inside
    their regions (reading the files is not counted)."""
    samples = options.samples(CHECK_SAMPLES)
    with tempfile.TemporaryDirectory(prefix="musoya-bench-etl-") as folder:
        layers = _real_layers(Path(folder))
        results = []
        cases = ((3, 2, "etl check_layer: real communes in their cercles", AIM_COMMUNES_CHECK_S),
                 (2, 1, "etl check_layer: real cercles in their regions", None))
        for child, parent, name, aim in cases:
            problems = check_layer(layers[child], layers[parent])
            seconds = timed(lambda c=child, p=parent: check_layer(layers[c], layers[p]), samples=samples,
                            warmup=CHECK_WARMUP)
            extra = {"units": len(layers[child]), "parents": len(layers[parent]), "problems": len(problems)}
            if aim is not None:
                median = statistics.median(seconds)
                extra |= {"aim": aim, "meets_aim": median <= aim, "median_over_aim": round(median / aim, 3)}
            results.append(Result(name, "s", seconds, extra=extra))
        return results
