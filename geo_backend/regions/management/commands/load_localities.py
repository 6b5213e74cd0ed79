from ... import loaders
from ..load_command import LoadCommand, manifest_steps


class Command(LoadCommand):
    help = "Load the gazetteer of populated places (manifest source 'localities')."

    def load_steps(self):
        return manifest_steps(loaders.manifest_source_ids("localities"))
