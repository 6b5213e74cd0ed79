"""The library's pages and feeds (inside the site's language prefixes)."""
from django.urls import path

from . import feeds, views, views_edit

app_name = "library"
urlpatterns = [
    path("bibliotheque/", views.library_index, name="index"),
    path("bibliotheque/documents/nouveau/", views.document_new, name="document-new"),
    path("bibliotheque/documents/<int:pk>/", views.document_page, name="document"),
    path("bibliotheque/campagnes/", views.campaigns, name="campaigns"),
    path("bibliotheque/campagnes/nouvelle/", views_edit.campaign_new, name="campaign-new"),
    path("bibliotheque/campagnes/<int:pk>/", views.campaign_page, name="campaign"),
    path("evenements/", views.events, name="events"),
    path("evenements/nouveau/", views_edit.event_new, name="event-new"),
    path("evenements/recommandations/<int:pk>/suivi/", views_edit.recommendation_follow_up,
         name="recommendation-follow-up"),
    path("evenements/<int:pk>/", views.event_page, name="event"),
    path("flux/evenements.ics", feeds.events_calendar, name="events-ics"),
    path("flux/actualites.xml", feeds.NewsFeed(), name="news-feed"),
    path("flux/documents.xml", feeds.DocumentsFeed(), name="documents-feed"),
]
