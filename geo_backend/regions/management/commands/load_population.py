from ... import loaders
from ..load_command import LoadCommand, manifest_steps


class Command(LoadCommand):
    help = "Load population by sex and year and the older-scheme P-code crosswalk (manifest population sources)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("sources", nargs="*", help="Manifest source ids (default: every population source).")

    def load_steps(self):
        return manifest_steps(self.options["sources"] or loaders.manifest_source_ids("population"))
