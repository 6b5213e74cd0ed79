import time

from django.core.management.base import BaseCommand
from django.db import transaction

from geo_backend.zones.models import Zone
from geo_backend.zones.services import zone_derivatives_refresh

from ...services import coverage_atoms_rebuild


class Command(BaseCommand):
    help = ("Recompute everything the analytics rest on, in one transaction: each zone's commune pieces and shares, "
            "then the coverage atoms of every commune. Zone edits keep them fresh anyway; use this after reloading "
            "boundaries or changing how areas are measured.")

    def add_arguments(self, parser):
        parser.add_argument("--atoms-only", action="store_true", help="Keep the zone pieces; recompute the atoms.")

    def handle(self, *args, **options):
        started = time.perf_counter()
        with transaction.atomic():
            if not options["atoms_only"]:
                zone_ids = list(Zone.objects.values_list("id", flat=True))
                zone_derivatives_refresh(zone_ids)
                self.stdout.write(f"{len(zone_ids)} zones: commune pieces and shares recomputed "
                                  f"({time.perf_counter() - started:.1f} s).")
            count = coverage_atoms_rebuild()
        self.stdout.write(f"{count} coverage atoms in {time.perf_counter() - started:.1f} s.")
