from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "geo_backend.organisations"
    label = "organisations"
    verbose_name = "Organisations et réseaux"
