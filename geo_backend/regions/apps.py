from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "geo_backend.regions"
    label = "regions"
    verbose_name = "Référentiel géographique"
