"""manage.py seed_demo: fictitious organisations, networks, interventions, zones and demo accounts."""
import time

from django.core.management.base import BaseCommand, CommandError

from geo_backend.common.errors import DomainError
from geo_backend.demo import selectors, services


class Command(BaseCommand):
    help = ("Seed fictitious demo data (every record is_demo, named « … (exemple fictif) ») and one demo account "
            "per role. Refused unless settings.MUSOYA_DEMO_ALLOWED. Does nothing if demo data exists, unless --reset. "
            "Says each step with its counts and elapsed time (-v 0: only errors).")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help="Random seed: the same seed gives the same data.")
        parser.add_argument("--organisations", type=int, default=24,
                            help="Number of organisations (plus about one network per six).")
        parser.add_argument("--zones", type=int, default=120, help="Total number of zones (1 to 3 per intervention).")
        parser.add_argument("--zones-only", action="store_true",
                            help="Only the map's demo (organisations, networks, interventions, zones): no library and "
                                 "no collaboration demo.")
        parser.add_argument("--reset", action="store_true",
                            help="Delete every demo record and the demo accounts, then seed again.")

    def handle(self, *args, seed, organisations, zones, reset, **options):
        self.verbosity = options["verbosity"]
        started = time.perf_counter()

        def progress(line: str) -> None:
            self.say(f"  {line} ({time.perf_counter() - started:.1f} s)")

        try:
            services.check_can_seed()
            if selectors.demo_present() and not reset:
                self.say("Les données de démonstration sont déjà présentes : rien n'a été créé "
                         "(--reset pour les recréer).")
                self._write_accounts()
                return
            self.say(f"Données de démonstration : graine {seed}, {organisations} organisations, {zones} zones")
            # Delete and reseed together: a seed that fails leaves the previous demo in place.
            services.demo_seed(seed=seed, organisations=organisations, zones=zones, reset=reset,
                               extras=not options["zones_only"], progress=progress)
        except DomainError as error:
            raise CommandError(f"{error.message_fr} / {error.message_en}") from error
        elapsed = time.perf_counter() - started
        self.say(self.style.SUCCESS(f"Données de démonstration créées en {elapsed:.1f} s (graine {seed})."))
        for line in selectors.counts_lines(selectors.demo_counts()):
            self.say(line)
        self._write_accounts()

    def say(self, line: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(line)

    def _write_accounts(self):
        self.say("")
        for line in selectors.accounts_lines():
            self.say(line)
