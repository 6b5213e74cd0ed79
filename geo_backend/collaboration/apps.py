from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "geo_backend.collaboration"
    label = "collaboration"
    verbose_name = "Collaboration et renforcement des capacités"
