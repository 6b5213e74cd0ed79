from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "geo_backend.taxonomy"
    label = "taxonomy"
    verbose_name = "Thèmes"
