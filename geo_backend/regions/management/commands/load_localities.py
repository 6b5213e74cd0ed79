from ... import loaders
from ..load_command import LoadCommand


class Command(LoadCommand):
    help = "Load the gazetteer of populated places (manifest source 'localities')."

    def run_loads(self):
        return [(source_id, loaders.manifest_source_load(source_id))
                for source_id in loaders.manifest_source_ids("localities")]
