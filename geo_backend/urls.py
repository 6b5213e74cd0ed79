from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from geo_backend.library import file_views as library_files
from geo_backend.web.views import pwa

urlpatterns = [
    # The service worker and manifest live at the root so that they cover every page, in both languages.
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("healthz", pwa.health, name="health"),
    path("api/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI and ReDoc from drf-spectacular-sidecar's static files; Swagger's start-up script is a separate
    # file (the split view), so no inline script is needed under the Content-Security-Policy.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema", template_name="web/api_redoc.html"),
         name="api-redoc"),
    path("api/v1/", include("geo_backend.api.urls")),
    path("tiles/", include("geo_backend.regions.tile_urls")),
    # OGC API - Features for GIS clients (QGIS, GDAL), served by pygeoapi: public data only.
    path("ogc/", include("geo_backend.exchange.ogc")),
    path("tiles/", include("geo_backend.zones.tile_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # The library's files, outside the language prefixes: one address per file for the offline cache.
    path("fichiers/<int:pk>/<str:variant>/", library_files.library_file, name="library-file"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("geo_backend.library.page_urls")),
    path("", include("geo_backend.web.urls")),
    path("", include("geo_backend.collaboration.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Error answers: the API's error shape under /api/, the site's translated pages elsewhere.
handler400 = "geo_backend.web.views.errors.bad_request"
handler403 = "geo_backend.web.views.errors.permission_denied"
handler404 = "geo_backend.web.views.errors.not_found"
handler500 = "geo_backend.web.views.errors.server_error"
