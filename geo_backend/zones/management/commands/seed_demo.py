"""manage.py seed_demo: fictitious organisations, networks, interventions, zones and demo accounts."""
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from geo_backend.common.errors import DomainError
from geo_backend.zones import demo


class Command(BaseCommand):
    help = ("Seed fictitious demo data (every record is_demo, named « … (exemple fictif) ») and one demo account "
            "per role. Refused unless settings.MUSOYA_DEMO_ALLOWED. Does nothing if demo data exists, unless --reset.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help="Random seed: the same seed gives the same data.")
        parser.add_argument("--organisations", type=int, default=24,
                            help="Number of organisations (plus about one network per six).")
        parser.add_argument("--zones", type=int, default=120, help="Total number of zones (1 to 3 per intervention).")
        parser.add_argument("--reset", action="store_true",
                            help="Delete every demo record and the demo accounts, then seed again.")

    def handle(self, *args, seed, organisations, zones, reset, **options):
        try:
            demo.check_can_seed()
            if demo.demo_present() and not reset:
                self.stdout.write("Les données de démonstration sont déjà présentes : rien n'a été créé "
                                  "(--reset pour les recréer).")
                self._write_accounts()
                return
            started = time.perf_counter()
            # Delete and reseed together: a seed that fails leaves the previous demo in place.
            with transaction.atomic():
                if reset:
                    deleted = demo.demo_delete()
                    self.stdout.write("Supprimé : " + ", ".join(f"{key} {value}" for key, value in deleted.items()))
                demo.demo_seed(seed=seed, organisations=organisations, zones=zones)
            elapsed = time.perf_counter() - started
        except DomainError as error:
            raise CommandError(f"{error.message_fr} / {error.message_en}") from error
        self.stdout.write(self.style.SUCCESS(f"Données de démonstration créées en {elapsed:.1f} s (graine {seed})."))
        for line in demo.counts_lines(demo.demo_counts()):
            self.stdout.write(line)
        self._write_accounts()

    def _write_accounts(self):
        self.stdout.write("")
        for line in demo.accounts_lines():
            self.stdout.write(line)
