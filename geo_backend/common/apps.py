from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "geo_backend.common"
    label = "common"
