"""manage.py seed_collaboration_demo: the fictitious collaboration demo over the zones demo (see ../../demo.py)."""
from django.core.management.base import BaseCommand, CommandError

from geo_backend.collaboration import demo


class Command(BaseCommand):
    help = ("Seed fictitious partnerships, trainings, mentoring pairs and self-assessments over the demo "
            "organisations (run seed_demo first), and the demo-partenaire account. Does nothing if already there, "
            "unless --reset.")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--reset", action="store_true", help="Delete the collaboration demo first.")

    def handle(self, *args, seed, reset, **options):
        if reset:
            deleted = demo.collaboration_demo_delete()
            self.stdout.write("Supprimé : " + ", ".join(f"{key} {value}" for key, value in deleted.items()))
        if demo.collaboration_demo_present():
            self.stdout.write("La démonstration de la collaboration est déjà là : rien n'a été créé.")
            return
        if not demo.collaboration_demo_seed(seed=seed):
            raise CommandError("Rien à faire : lancez d'abord seed_demo (données de démonstration autorisées).")
        self.stdout.write(self.style.SUCCESS(
            f"Démonstration de la collaboration créée ; compte « {demo.PARTNER_ACCOUNT} » (mot de passe "
            f"{demo.DEMO_PASSWORD}), éditrice d'une organisation partenaire fictive."))
