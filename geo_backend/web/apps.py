from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "geo_backend.web"
    label = "web"
