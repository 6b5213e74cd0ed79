"""The collaboration pages of the site (French addresses, /en/… in English), namespace "collaboration"."""
from django.urls import path

from .views import assessments, invitations, memberships, mentoring, notifications, partnerships, profiles, trainings

app_name = "collaboration"
urlpatterns = [
    # Partnerships
    path("partenariats/", partnerships.public_list, name="partnerships"),
    path("espace/partenariats/", partnerships.mine, name="partnerships-mine"),
    path("espace/partenariats/proposer/", partnerships.propose, name="partnership-propose"),
    path("espace/partenariats/<int:pk>/", partnerships.detail, name="partnership"),
    path("espace/partenariats/<int:pk>/<slug:action>/", partnerships.act, name="partnership-act"),
    # Memberships of networks
    path("espace/adhesions/", memberships.memberships, name="memberships"),
    path("espace/adhesions/demande/", memberships.membership_request, name="membership-request"),
    path("espace/adhesions/<int:pk>/<slug:action>/", memberships.membership_answer, name="membership-answer"),
    # Profiles, logos and editor invitations
    path("espace/organisations/<slug:slug>/modifier/", profiles.profile_edit, name="profile-edit"),
    path("organisations/<slug:slug>/logo/", profiles.logo, name="logo"),
    path("espace/organisations/<slug:slug>/inviter/", invitations.invite, name="editor-invite"),
    path("invitation/<str:token>/", invitations.accept, name="invitation"),
    # Trainings
    path("formations/", trainings.training_list, name="trainings"),
    path("formations/calendrier.ics", trainings.calendar, name="trainings-ics"),
    path("formations/<int:pk>/", trainings.training_detail, name="training"),
    path("formations/<int:pk>/inscription/", trainings.register, name="training-register"),
    path("espace/formations/nouvelle/", trainings.training_new, name="training-new"),
    path("espace/formations/<int:pk>/presence/", trainings.attendance, name="training-attendance"),
    # Mentoring
    path("espace/mentorat/", mentoring.pairs, name="mentoring"),
    path("espace/mentorat/<int:pk>/", mentoring.pair_detail, name="mentoring-pair"),
    # Capacity self-assessment and needs
    path("espace/auto-evaluation/", assessments.self_assessment, name="assessment"),
    path("espace/reseaux/<int:pk>/besoins/", assessments.network_needs, name="network-needs"),
    path("besoins/", assessments.needs_overview, name="needs"),
    # Notifications
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/tout-lu/", notifications.notifications_read_all, name="notifications-read-all"),
    path("notifications/preferences/", notifications.notification_preferences, name="notification-preferences"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification-open"),
]
