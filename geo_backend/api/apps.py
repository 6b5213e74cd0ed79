from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "geo_backend.api"
    label = "api"
