"""The collaboration part of the REST API (/api/v1/), appended to geo_backend/api/urls.py's urlpatterns."""
from django.urls import path

from . import assessments, mentoring, notifications, partnerships, trainings

urlpatterns = [
    # Partnerships
    path("partnerships/", partnerships.PartnershipListView.as_view(), name="partnership-list"),
    path("partnerships/map/", partnerships.PartnershipMapView.as_view(), name="partnership-map"),
    path("partnerships/<int:pk>/", partnerships.PartnershipDetailView.as_view(), name="partnership-detail"),
    path("partnerships/<int:pk>/accept/", partnerships.PartnershipAcceptView.as_view(), name="partnership-accept"),
    path("partnerships/<int:pk>/decline/", partnerships.PartnershipDeclineView.as_view(),
         name="partnership-decline"),
    path("partnerships/<int:pk>/withdraw/", partnerships.PartnershipWithdrawView.as_view(),
         name="partnership-withdraw"),
    path("partnerships/<int:pk>/end/", partnerships.PartnershipEndView.as_view(), name="partnership-end"),
    # Trainings and registrations
    path("trainings/", trainings.TrainingListView.as_view(), name="training-list"),
    path("trainings/<int:pk>/", trainings.TrainingDetailView.as_view(), name="training-detail"),
    path("trainings/<int:pk>/registrations/", trainings.TrainingRegistrationView.as_view(),
         name="training-register"),
    path("training-registrations/<int:pk>/cancel/", trainings.RegistrationCancelView.as_view(),
         name="training-registration-cancel"),
    path("training-registrations/<int:pk>/attendance/", trainings.RegistrationAttendanceView.as_view(),
         name="training-registration-attendance"),
    # Mentoring
    path("mentoring/pairs/", mentoring.PairListView.as_view(), name="mentoring-pair-list"),
    path("mentoring/pairs/<int:pk>/", mentoring.PairDetailView.as_view(), name="mentoring-pair-detail"),
    path("mentoring/pairs/<int:pk>/log/", mentoring.PairLogView.as_view(), name="mentoring-pair-log"),
    path("mentoring/pairs/<int:pk>/close/", mentoring.PairCloseView.as_view(), name="mentoring-pair-close"),
    path("mentoring/counts/", mentoring.MentoringCountsView.as_view(), name="mentoring-counts"),
    # Capacity self-assessment and needs
    path("assessments/", assessments.AssessmentListView.as_view(), name="assessment-list"),
    path("assessments/questionnaire/", assessments.QuestionnaireView.as_view(), name="assessment-questionnaire"),
    path("assessments/needs/", assessments.NeedsView.as_view(), name="assessment-needs"),
    path("assessments/<int:pk>/", assessments.AssessmentDetailView.as_view(), name="assessment-detail"),
    # Notifications (one's own)
    path("notifications/", notifications.NotificationListView.as_view(), name="notification-list"),
    path("notifications/read/", notifications.NotificationReadView.as_view(), name="notification-read"),
    path("notifications/preferences/", notifications.NotificationPreferenceView.as_view(),
         name="notification-preferences"),
]
