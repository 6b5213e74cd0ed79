from django.apps import AppConfig


class ZonesConfig(AppConfig):
    name = "geo_backend.zones"
    label = "zones"
    verbose_name = "Interventions et zones"
