from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Fictitious demo data and accounts (manage.py seed_demo); left out of INSTALLED_APPS in production."""

    name = "geo_backend.demo"
    label = "demo"
    verbose_name = "Données de démonstration"
