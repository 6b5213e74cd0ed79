from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "geo_backend.exchange"
    label = "exchange"
    verbose_name = "Échanges de données (import, export)"
