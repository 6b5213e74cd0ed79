"""manage.py seed_library_demo: the library's fictitious documents, campaigns and events, for the demo
organisations seed_demo created (until the demo seeder calls library_demo_seed itself)."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from geo_backend.common.errors import DomainError
from geo_backend.library.demo import library_demo_delete, library_demo_seed
from geo_backend.library.models import Document
from geo_backend.organisations.models import Organisation


class Command(BaseCommand):
    help = "Seed the library's fictitious demo content (refused unless settings.MUSOYA_DEMO_ALLOWED)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete the library's demo records first.")

    def handle(self, *args, reset, **options):
        from django.conf import settings

        if not settings.MUSOYA_DEMO_ALLOWED:
            raise CommandError("Les données de démonstration sont désactivées ici (MUSOYA_DEMO_ALLOWED).")
        organisations = list(Organisation.objects.filter(is_demo=True, status="active").order_by("id"))
        admin = get_user_model().objects.filter(is_superuser=True).order_by("id").first()
        if not organisations or admin is None:
            raise CommandError("Lancez d'abord manage.py seed_demo (organisations fictives et compte admin).")
        try:
            with transaction.atomic():
                if reset:
                    self.stdout.write(f"Supprimé : {library_demo_delete()}")
                elif Document.objects.filter(is_demo=True).exists():
                    self.stdout.write("La bibliothèque de démonstration existe déjà (--reset pour la recréer).")
                    return
                counts = library_demo_seed(organisations, admin_user=admin)
        except DomainError as error:
            raise CommandError(f"{error.message_fr} / {error.message_en}") from error
        self.stdout.write(self.style.SUCCESS(f"Bibliothèque de démonstration créée : {counts}"))
