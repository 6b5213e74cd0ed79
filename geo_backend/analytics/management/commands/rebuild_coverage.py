import time

from django.core.management.base import BaseCommand
from django.db import transaction

from geo_backend.zones.models import Zone
from geo_backend.zones.services import zone_derivatives_refresh

from ...services import coverage_atoms_rebuild

ZONES_PER_BATCH = 500


class Command(BaseCommand):
    help = ("Recompute everything the analytics rest on: each zone's commune pieces and shares, then the coverage "
            "atoms of every commune. Works in bounded batches, each its own transaction, and prints its progress "
            "(-v 0: silent). Zone edits keep them fresh anyway; use this after reloading boundaries or changing how "
            "areas are measured.")

    def add_arguments(self, parser):
        parser.add_argument("--atoms-only", action="store_true", help="Keep the zone pieces; recompute the atoms.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        verbosity = options["verbosity"]

        def say(line: str) -> None:
            if verbosity > 0:
                self.stdout.write(f"{line} ({time.perf_counter() - started:.1f} s)")

        if not options["atoms_only"]:
            zone_ids = list(Zone.objects.order_by("id").values_list("id", flat=True))
            for start in range(0, len(zone_ids), ZONES_PER_BATCH):
                batch = zone_ids[start:start + ZONES_PER_BATCH]
                with transaction.atomic():
                    # Zones by id: the lock order of zones/services.py (no intervention is changed here).
                    list(Zone.objects.select_for_update().filter(id__in=batch).order_by("id").values_list("id"))
                    zone_derivatives_refresh(batch)
                say(f"zones: {start + len(batch)}/{len(zone_ids)} cut into commune pieces")
        count = coverage_atoms_rebuild(
            progress=lambda done, total, atoms: say(f"coverage atoms: {done}/{total} communes, {atoms} atoms"))
        if verbosity > 0:
            self.stdout.write(f"{count} coverage atoms in {time.perf_counter() - started:.1f} s.")
