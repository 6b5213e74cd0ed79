from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "geo_backend.regions"
    label = "regions"
    verbose_name = "Référentiel géographique"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .layer_pointer import edition_changed
        from .models import Edition

        # Any change of an edition (a service, the admin) may move the default: the fast path's pointer follows.
        post_save.connect(edition_changed, sender=Edition, dispatch_uid="layer_pointer_edition_saved")
        post_delete.connect(edition_changed, sender=Edition, dispatch_uid="layer_pointer_edition_deleted")
