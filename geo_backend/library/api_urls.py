"""The library's part of the REST API (/api/v1/), appended to geo_backend/api/urls.py's flat list."""
from django.urls import path

from .api_views import advocacy, documents

urlpatterns = [
    path("documents/", documents.DocumentListView.as_view(), name="document-list"),
    path("documents/<int:pk>/", documents.DocumentDetailView.as_view(), name="document-detail"),
    path("documents/<int:pk>/files/", documents.DocumentFileListView.as_view(), name="document-file-list"),
    path("document-files/<int:pk>/", documents.DocumentFileDetailView.as_view(), name="document-file-detail"),
    path("campaigns/", advocacy.CampaignListView.as_view(), name="campaign-list"),
    path("campaigns/<int:pk>/", advocacy.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/places/", advocacy.CampaignPlacesView.as_view(), name="campaign-places"),
    path("events/", advocacy.EventListView.as_view(), name="event-list"),
    path("events/map/", advocacy.EventMapView.as_view(), name="event-map"),
    path("events/<int:pk>/", advocacy.EventDetailView.as_view(), name="event-detail"),
    path("events/<int:pk>/recommendations/", advocacy.RecommendationListView.as_view(),
         name="event-recommendation-list"),
    path("recommendations/<int:pk>/", advocacy.RecommendationDetailView.as_view(), name="recommendation-detail"),
    path("news/", advocacy.NewsListView.as_view(), name="news-list"),
    path("news/<int:pk>/", advocacy.NewsDetailView.as_view(), name="news-detail"),
]
