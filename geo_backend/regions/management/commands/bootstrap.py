from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from ...models import AdminUnit, Locality, Population


class Command(BaseCommand):
    help = (
        "Load the reference data (boundaries, population, localities) when the database has none, then the demo "
        "data and demo accounts where allowed (MUSOYA_DEMO_ALLOWED). Used by make run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Do not create the demo data.")

    def handle(self, *args, **options):
        quiet = {"verbosity": options["verbosity"], "stdout": self.stdout}
        say = self.stdout.write if options["verbosity"] else (lambda _line: None)
        if not AdminUnit.objects.exists():
            say("==> Loading boundaries (first run; a few seconds)")
            call_command("load_boundaries", quiet_details=True, **quiet)
        if not Population.objects.exists():
            say("==> Loading population and P-code crosswalk")
            call_command("load_population", quiet_details=True, **quiet)
        if not Locality.objects.exists():
            say("==> Loading localities")
            call_command("load_localities", quiet_details=True, **quiet)
        say("==> Reference data present")
        if settings.MUSOYA_DEMO_ALLOWED and not options["no_demo"]:
            # Idempotent: creates the fictitious demo data once, and prints the demo accounts every time.
            call_command("seed_demo", **quiet)
