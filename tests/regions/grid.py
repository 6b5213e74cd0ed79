"""Small deterministic boundary files for loader tests: a 2 x 2 grid of communes in one cercle."""
import json
from pathlib import Path

# A 1° square near Ségou, split into four 0.5° communes.
ORIGIN = (-6.5, 13.0)


def square(x0, y0, size):
    return [[[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]]


def feature(properties, rings):
    return {"type": "Feature", "properties": properties, "geometry": {"type": "Polygon", "coordinates": rings}}


def write_collection(path: Path, features) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def region_file(path: Path) -> Path:
    return write_collection(path, [feature(
        {"admin0Pcod": "ZZ", "admin1Name": "Région Test", "admin1Pcod": "ZZ01"}, square(*ORIGIN, 1.0))])


def cercle_file(path: Path) -> Path:
    return write_collection(path, [feature(
        {"admin1Pcod": "ZZ01", "admin2Name": "Cercle de Grille", "admin2Pcod": "ZZ0101"}, square(*ORIGIN, 1.0))])


def commune_features():
    x0, y0 = ORIGIN
    names = ["Nord-Ouest", "Nord-Est", "Sud-Ouest", "Sud-Est"]
    corners = [(x0, y0 + 0.5), (x0 + 0.5, y0 + 0.5), (x0, y0), (x0 + 0.5, y0)]
    return [
        feature({"admin2Pcod": "ZZ0101", "admin3Name": f"Commune {name}", "admin3Pcod": f"ZZ01010{i + 1}"},
                square(cx, cy, 0.5))
        for i, (name, (cx, cy)) in enumerate(zip(names, corners, strict=True))
    ]


def commune_file(path: Path, features=None) -> Path:
    return write_collection(path, features if features is not None else commune_features())


def country_file(path: Path) -> Path:
    return write_collection(path, [feature({"admin0Name": "Pays Test", "admin0Pcod": "ZZ"}, square(*ORIGIN, 1.0))])


def load_grid(tmp_path: Path, edition):
    """Loads the whole test grid (country, region, cercle, 4 communes) into an edition; returns the reports."""
    from geo_backend.regions.loaders import boundary_layer_load

    files = [country_file, region_file, cercle_file, commune_file]
    return [
        boundary_layer_load(path=make(tmp_path / f"level{level}.geojson"), edition=edition, level=level)
        for level, make in enumerate(files)
    ]
