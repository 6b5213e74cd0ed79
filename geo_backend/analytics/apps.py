from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "geo_backend.analytics"
    label = "analytics"
    verbose_name = "Analyses de couverture"
