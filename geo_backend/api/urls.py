"""The URL tree of the REST API (/api/v1/)."""
from django.urls import path

from geo_backend.analytics import api_views as analytics
from geo_backend.collaboration.api import urls as collaboration
from geo_backend.exchange import api_views as exchange
from geo_backend.exchange import export_views as exchange_exports
from geo_backend.organisations import api_views as organisations
from geo_backend.regions import api_views as regions
from geo_backend.zones import api_views as zones

from .auth_views import TokenView

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    # Geographic reference (public, read-only)
    path("areas/", regions.AreaListView.as_view(), name="area-list"),
    path("areas/<str:pcode>/", regions.AreaDetailView.as_view(), name="area-detail"),
    path("localities/", regions.LocalitySearchView.as_view(), name="locality-search"),
    path("localities/labels/", regions.LocalityLabelsView.as_view(), name="locality-labels"),
    # Organisations and networks
    path("organisations/", organisations.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/<int:pk>/", organisations.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("organisations/<int:pk>/history/", organisations.OrganisationHistoryView.as_view(),
         name="organisation-history"),
    path("organisations/<int:pk>/restore/", organisations.OrganisationRestoreView.as_view(),
         name="organisation-restore"),
    path("networks/", organisations.NetworkListView.as_view(), name="network-list"),
    path("memberships/", organisations.MembershipListView.as_view(), name="membership-list"),
    path("memberships/<int:pk>/accept/", organisations.MembershipAcceptView.as_view(),
         name="membership-accept"),
    path("memberships/<int:pk>/decline/", organisations.MembershipDeclineView.as_view(),
         name="membership-decline"),
    path("memberships/<int:pk>/end/", organisations.MembershipEndView.as_view(),
         name="membership-end"),
    # Interventions and zones
    path("interventions/", zones.InterventionListView.as_view(), name="intervention-list"),
    path("interventions/<int:pk>/", zones.InterventionDetailView.as_view(), name="intervention-detail"),
    path("interventions/<int:pk>/submit/", zones.InterventionSubmitView.as_view(),
         name="intervention-submit"),
    path("interventions/<int:pk>/validate/", zones.InterventionValidateView.as_view(),
         name="intervention-validate"),
    path("interventions/<int:pk>/reject/", zones.InterventionRejectView.as_view(),
         name="intervention-reject"),
    path("interventions/<int:pk>/restore/", zones.InterventionRestoreView.as_view(), name="intervention-restore"),
    path("zones/", zones.ZoneListView.as_view(), name="zone-list"),
    path("zones/preview/", zones.ZonePreviewView.as_view(), name="zone-preview"),
    path("zones/<int:pk>/", zones.ZoneDetailView.as_view(), name="zone-detail"),
    # Coverage analytics
    path("analytics/coverage/", analytics.CoverageView.as_view(), name="analytics-coverage"),
    path("analytics/gaps/", analytics.GapsView.as_view(), name="analytics-gaps"),
    path("analytics/overlaps/", analytics.OverlapsView.as_view(), name="analytics-overlaps"),
    path("analytics/changes/", analytics.CoverageChangeView.as_view(), name="analytics-changes"),
    path("analytics/rollups/", analytics.RollupView.as_view(), name="analytics-rollups"),
    # Data exchange: imports, exports, vocabularies
    path("imports/", exchange.ImportView.as_view(), name="import-list"),
    path("exports/interventions/", exchange_exports.InterventionExportView.as_view(), name="export-interventions"),
    path("exports/template/", exchange_exports.ImportTemplateView.as_view(), name="export-template"),
    path("vocabularies/", exchange_exports.VocabularyListView.as_view(), name="vocabulary-list"),
    path("vocabularies/<slug:name>/", exchange_exports.VocabularyView.as_view(), name="vocabulary-detail"),
]
# Partnerships, trainings, mentoring, capacity assessments, notifications (collaboration app)
urlpatterns += collaboration.urlpatterns

# The library: documents, campaigns, events, news (their write endpoints: tests/library/test_permissions.py).
from geo_backend.library.api_urls import urlpatterns as library_urlpatterns  # noqa: E402

urlpatterns += library_urlpatterns
