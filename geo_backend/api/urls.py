"""The URL tree of the REST API (/api/v1/)."""
from django.urls import path

from geo_backend.regions import api_views as regions

urlpatterns = [
    path("areas/", regions.AreaListView.as_view(), name="area-list"),
    path("areas/<str:pcode>/", regions.AreaDetailView.as_view(), name="area-detail"),
    path("localities/", regions.LocalitySearchView.as_view(), name="locality-search"),
]
