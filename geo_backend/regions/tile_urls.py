from django.urls import path

from . import api_views

urlpatterns = [
    path("areas/<int:z>/<int:x>/<int:y>.pbf", api_views.AreaTileView.as_view(), name="area-tile"),
]
