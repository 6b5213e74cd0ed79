"""The library's pages and feeds (inside the site's language prefixes)."""
from django.urls import path

from . import feeds, views, views_document_edit, views_edit

app_name = "library"
urlpatterns = [
    path("bibliotheque/", views.library_index, name="index"),
    path("bibliotheque/documents/nouveau/", views.document_new, name="document-new"),
    path("bibliotheque/documents/<int:pk>/", views.document_page, name="document"),
    path("bibliotheque/documents/<int:pk>/modifier/", views_document_edit.document_edit, name="document-edit"),
    path("bibliotheque/documents/<int:pk>/supprimer/", views_document_edit.document_delete, name="document-delete"),
    path("bibliotheque/documents/<int:pk>/fichiers/", views_document_edit.document_file_add,
         name="document-file-add"),
    path("bibliotheque/fichiers/<int:pk>/modifier/", views_document_edit.document_file_edit,
         name="document-file-edit"),
    path("bibliotheque/fichiers/<int:pk>/supprimer/", views_document_edit.document_file_delete,
         name="document-file-delete"),
    path("bibliotheque/campagnes/", views.campaigns, name="campaigns"),
    path("bibliotheque/campagnes/nouvelle/", views_edit.campaign_new, name="campaign-new"),
    path("bibliotheque/campagnes/<int:pk>/", views.campaign_page, name="campaign"),
    path("bibliotheque/campagnes/<int:pk>/modifier/", views_edit.campaign_edit, name="campaign-edit"),
    path("evenements/", views.events, name="events"),
    path("evenements/nouveau/", views_edit.event_new, name="event-new"),
    path("evenements/recommandations/<int:pk>/suivi/", views_edit.recommendation_follow_up,
         name="recommendation-follow-up"),
    path("evenements/<int:pk>/", views.event_page, name="event"),
    path("evenements/<int:pk>/modifier/", views_edit.event_edit, name="event-edit"),
    path("flux/evenements.ics", feeds.events_calendar, name="events-ics"),
    path("flux/actualites.xml", feeds.NewsFeed(), name="news-feed"),
    path("flux/documents.xml", feeds.DocumentsFeed(), name="documents-feed"),
]
