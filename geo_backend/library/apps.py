from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "geo_backend.library"
    label = "library"
    verbose_name = _("Bibliothèque, plaidoyer et événements")
