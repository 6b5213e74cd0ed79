from pathlib import Path

from django.core.management.base import CommandError

from ... import loaders
from ..load_command import LoadCommand, manifest_steps


class Command(LoadCommand):
    help = (
        "Load admin boundaries: the whole manifest (default), some of its sources (admin0 … admin4), "
        "or any OGR file with --file, --level, --edition and --format/--map."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("sources", nargs="*", help="Manifest source ids (default: every boundary source).")
        parser.add_argument("--file", help="An OGR file (GeoJSON, GeoPackage, zipped Shapefile) instead.")
        parser.add_argument("--layer", help="Layer name inside a GeoPackage.")
        parser.add_argument("--level", type=int, choices=range(0, 5), help="Admin level of --file (0–4).")
        parser.add_argument("--edition", help="Edition slug of --file (must be in the manifest or stored).")
        parser.add_argument("--format", default="auto", choices=["auto", "cod", "geoboundaries", "mapping"])
        parser.add_argument("--map", help="Column mapping for --format mapping: pcode=COL,name=COL,parent_pcode=COL")

    def load_steps(self):
        options = self.options
        if options["file"]:
            if options["level"] is None or not options["edition"]:
                raise CommandError("--file needs --level and --edition.")
            mapping = parse_mapping(options["map"]) if options["map"] else None
            if options["format"] == "mapping" and not mapping:
                raise CommandError("--format mapping needs --map pcode=COL,name=COL[,parent_pcode=COL].")
            edition = loaders.edition_from_manifest(options["edition"])
            return [(Path(options["file"]).name, lambda progress: loaders.boundary_layer_load(
                path=Path(options["file"]), edition=edition, level=options["level"], fmt=options["format"],
                mapping=mapping, layer=options["layer"], progress=progress,
            ))]
        return manifest_steps(options["sources"] or loaders.manifest_source_ids("boundaries"))


def parse_mapping(text: str) -> dict:
    mapping = {}
    for part in text.split(","):
        key, _, column = part.partition("=")
        if not column:
            raise CommandError(f"--map: '{part}' is not KEY=COLUMN.")
        if key.strip() == "alt_names":
            mapping.setdefault("alt_names", []).append(column.strip())
        else:
            mapping[key.strip()] = column.strip()
    return mapping
