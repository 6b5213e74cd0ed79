from django.urls import path

from . import api_views

urlpatterns = [
    path("zones/<int:z>/<int:x>/<int:y>.pbf", api_views.ZoneTileView.as_view(), name="zone-tile"),
]
