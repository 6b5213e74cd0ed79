from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ExchangeConfig(AppConfig):
    name = "geo_backend.exchange"
    label = "exchange"
    verbose_name = "Échanges de données (import, export)"

    def ready(self):
        from .ogc_sql import ogc_views_refresh

        # After every migrate, so that the OGC API's views follow the visibility rules of organisations/access/.
        post_migrate.connect(ogc_views_refresh, sender=self, dispatch_uid="exchange_ogc_views")
