from ... import loaders
from ..load_command import LoadCommand


class Command(LoadCommand):
    help = "Load population by sex and year and the older-scheme P-code crosswalk (manifest population sources)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("sources", nargs="*", help="Manifest source ids (default: every population source).")

    def run_loads(self):
        source_ids = self.options["sources"] or loaders.manifest_source_ids("population")
        return [(source_id, loaders.manifest_source_load(source_id)) for source_id in source_ids]
