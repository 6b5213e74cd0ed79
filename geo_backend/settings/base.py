"""Settings shared by every environment. Values come from the environment (see .env.example)."""
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served from our own static files (no CDN)
    "leaflet",
    "knox",  # API tokens that expire, stored hashed
    "axes",  # sign-in attempt counting and lockout, on every sign-in path (site, admin, API token)
    "csp",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    # The task queue (thumbnails, compact audio): jobs live in PostgreSQL, no other service to run.
    "procrastinate.contrib.django",
    "geo_backend.common",
    "geo_backend.regions",
    "geo_backend.taxonomy",
    "geo_backend.organisations",
    "geo_backend.zones",
    "geo_backend.analytics",
    "geo_backend.collaboration",
    "geo_backend.exchange",
    "geo_backend.library",
    "geo_backend.api",
    "geo_backend.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Refuses a body over the size limit with 413 before anything reads it (one error shape for the API).
    "geo_backend.web.middleware.RequestBodyLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The site's boundary layers and area tiles from memory, as WhiteNoise serves static files (regions/layer_*.py).
    "geo_backend.regions.layer_middleware.StoredLayerMiddleware",
    # A time limit on every SQL statement of the request (WEB_STATEMENT_TIMEOUT_MS), before anything queries.
    "geo_backend.common.statement_timeout.StatementTimeoutMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "geo_backend.web.middleware.OutboxAccountMiddleware",
    # Groups every change of a request under one history context (who, which URL).
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Signed-in answers are marked Cache-Control: private (the service worker keeps them apart, purges them).
    "geo_backend.web.middleware.PrivateAnswersMiddleware",
    # Last, as django-axes asks: turns a lockout flagged during sign-in into our lockout page or JSON error.
    "axes.middleware.AxesMiddleware",
]

# History events carry the time they were written, not the start of their transaction: the events of one
# operation (an intervention, then its themes) keep their order, which restoring a version's links relies on.
PGHISTORY_CREATED_AT_FUNCTION = "clock_timestamp()"
# Sign-in: django-axes counts failures in the database (shared by every gunicorn worker) per account and address;
# geo_backend.web.signin.SignInBackend makes the attempts for one account wait for each other, so that concurrent
# tries cannot all pass the check before any failure is recorded.
AUTHENTICATION_BACKENDS = ["geo_backend.web.signin.SignInBackend"]

ROOT_URLCONF = "geo_backend.urls"
WSGI_APPLICATION = "geo_backend.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "geo_backend.web.context.site",
            ],
        },
    },
]


def embedded_database_url():
    """The URL of the project's own PostGIS cluster (scripts/embedded_db.sh), used when DATABASE_URL is unset."""
    import subprocess

    script = BASE_DIR / "scripts" / "embedded_db.sh"
    try:
        return subprocess.run([str(script), "url"], check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as error:
        raise ImproperlyConfigured(
            "DATABASE_URL is not set and the embedded database could not be found; run `make db`."
        ) from error


def database_config(url: str) -> dict:
    config = environ.Env.db_url_config(url)
    # A Unix-socket folder is written percent-encoded in the host part (postgis://user@%2Fpath%2Frun/db).
    config["HOST"] = unquote(config.get("HOST") or "")
    return config


DATABASES = {"default": database_config(env("DATABASE_URL", default="") or embedded_database_url())}
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
# PostgreSQL's JIT compiler costs ~0.7 s per spatial query here (it is triggered by PostGIS's high cost
# estimates) and never pays back on these short queries: turn it off for our connections.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# No statement may run unbounded. Web requests: a time limit per statement, by request class (reads: GET, HEAD,
# OPTIONS; writes: the others), set by geo_backend.common.statement_timeout.StatementTimeoutMiddleware; when it
# fires, the API answers 503 "database_timeout". Commands (loads, rebuild_coverage, seed_demo) are not web
# requests and are not cut by these; their heavy statements are bounded by the coverage budget below. 0 = no limit.
WEB_STATEMENT_TIMEOUT_MS = {
    "read": env.int("WEB_READ_STATEMENT_TIMEOUT_MS", default=20_000),
    "write": env.int("WEB_WRITE_STATEMENT_TIMEOUT_MS", default=30_000),
}
# Coverage atoms are built in batches of communes (at most this many zone pieces, or communes, per statement),
# each statement with this memory budget per sort or hash and this time limit (when no tighter one is set).
COVERAGE_BATCH_PIECES = env.int("COVERAGE_BATCH_PIECES", default=2_000)
COVERAGE_BATCH_COMMUNES = env.int("COVERAGE_BATCH_COMMUNES", default=50)
COVERAGE_WORK_MEM = env("COVERAGE_WORK_MEM", default="64MB")
COVERAGE_STATEMENT_TIMEOUT_MS = env.int("COVERAGE_STATEMENT_TIMEOUT_MS", default=600_000)
if DATABASES["default"]["ENGINE"] != "django.contrib.gis.db.backends.postgis":
    raise ImproperlyConfigured("Musoya needs PostgreSQL with PostGIS: DATABASE_URL must start with postgis://")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first, English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# A form sent without its token answers a translated page saying to reload it, not Django's English one.
CSRF_FAILURE_VIEW = "geo_backend.web.views.errors.csrf_failure"
USE_I18N = True
TIME_ZONE = "Africa/Bamako"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
# Built at set-up (scripts/build_plotly_bundle.sh): the dashboard's partial plotly.js, dashboards/plotly-musoya.min.js.
PLOTLY_BUNDLE_DIR = BASE_DIR / "var" / "build" / "plotly"
PLOTLY_BUNDLE_DIR.mkdir(parents=True, exist_ok=True)  # a finder's folder must exist, even before the first build
STATICFILES_DIRS = [PLOTLY_BUNDLE_DIR]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "var" / "media"
# Where the pointer to the default edition's current layers lives (regions/layer_pointer.py): every process that
# serves the site or loads an edition must see the same directory.
LAYER_STORE_DIR = env("LAYER_STORE_DIR", default=str(BASE_DIR / "var" / "layers"))

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Token first: its WWW-Authenticate challenge makes DRF answer 401 (not 403) to someone not signed in.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "geo_backend.api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # Counted in the cache (a database table shared by the workers): writes per person (or address), and the
    # token endpoint per address.
    "DEFAULT_THROTTLE_CLASSES": ["geo_backend.api.throttles.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "writes": env("API_WRITE_RATE", default="120/minute"),
        "sign_in": env("API_SIGN_IN_RATE", default="10/minute"),
    },
    "EXCEPTION_HANDLER": "geo_backend.api.exceptions.exception_handler",
    # ?format= selects GeoJSON/JSON/CSV in our own views, not DRF's renderer negotiation.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Musoya API",
    "DESCRIPTION": "Qui fait quoi, où, pour les droits des femmes et des filles au Mali. / "
    "Who does what, where, for the rights of women and girls in Mali.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from drf-spectacular-sidecar's static files: pinned with the package, same origin.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "geo_backend.organisations.models.Organisation.Kind",
        "ContactKindEnum": "geo_backend.organisations.models.Contact.Kind",
        "OrganisationStatusEnum": "geo_backend.organisations.models.Organisation.Status",
        "InterventionStatusEnum": "geo_backend.zones.models.Intervention.Status",
        "MembershipStatusEnum": "geo_backend.organisations.models.Membership.Status",
        # Two choice sets of fields named "role": a member's role in a network, an organisation's in a partnership.
        "MembershipRoleEnum": "geo_backend.organisations.models.Membership.Role",
        "PartnershipRoleEnum": "geo_backend.collaboration.models.PartnershipRole",
    },
}

# The cache is a database table (no extra server to run): the API throttles share it across gunicorn workers.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "musoya_cache"}}
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:espace"
LOGOUT_REDIRECT_URL = "web:home"
# Sign-in attempts allowed per account and address before a pause, and the pause (django-axes reads both
# through geo_backend.web.signin at each attempt).
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=900)
AXES_FAILURE_LIMIT = "geo_backend.web.signin.failure_limit"
AXES_COOLOFF_TIME = "geo_backend.web.signin.cool_off"
# Per account and address together: per address alone would lock out whole mobile networks (carrier NAT), per
# account alone would let anyone lock a coordinator out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "geo_backend.web.signin.attempted_username"
AXES_LOCKOUT_CALLABLE = "geo_backend.web.signin.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# API tokens (POST /api/v1/auth/token/): they expire, a new sign-in replaces the account's previous token, and
# DELETE /api/v1/auth/token/ revokes the one in use.
REST_KNOX = {"TOKEN_TTL": timedelta(hours=env.int("API_TOKEN_HOURS", default=10)), "AUTO_REFRESH": False}

# Content-Security-Policy (django-csp): no inline script anywhere, nothing from another origin except the
# optional OpenStreetMap tiles. Styles may be inline: Leaflet, Plotly, Swagger UI and ReDoc set them at run time.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https://tile.openstreetmap.org"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Musoya <noreply@musoya.example.org>")
# Collaboration: the site's address in notification and invitation e-mails; how long an invitation link lasts;
# notification e-mails are handed to a background thread so that a slow mail server never holds a request.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
MUSOYA_INVITATION_DAYS = env.int("MUSOYA_INVITATION_DAYS", default=7)
MUSOYA_EMAIL_IN_BACKGROUND = env.bool("MUSOYA_EMAIL_IN_BACKGROUND", default=True)

# Where reference files come from: the copies committed (xz-compressed) in data/regions/ by default; a folder of
# uncompressed files (BOUNDARY_MIRROR) or a download address can supply another edition. sha256 checked in all cases.
BOUNDARY_BUNDLED_DIR = BASE_DIR / "data" / "regions"
BOUNDARY_MIRROR = env("BOUNDARY_MIRROR", default="")
BOUNDARY_DOWNLOAD_BASE_URL = env("BOUNDARY_DOWNLOAD_BASE_URL", default="")
BOUNDARY_CACHE = BASE_DIR / "var" / "reference-data"

# Demo data and demo accounts (manage.py seed_demo) exist only where this is true; never in production.
MUSOYA_DEMO_ALLOWED = env.bool("MUSOYA_DEMO_ALLOWED", default=True)
# The demo app (planner, writer, seed_demo) is installed only where demo data may exist: production.py takes it out.
if MUSOYA_DEMO_ALLOWED:
    INSTALLED_APPS.append("geo_backend.demo")

# Logging: one configuration, to standard error (make run's output; a container's or systemd's collector).
# LOG_FORMAT=json writes one JSON object per line for a log collector. What is logged:
#   django.request     requests that fail (4xx as WARNING, 5xx as ERROR with the traceback)
#   musoya.api         refused writes (code, status, path, user)
#   musoya.db.slow     statements slower than SLOW_QUERY_MS (0 turns it off)
#   musoya.loads, musoya.coverage, musoya.demo   loads, coverage rebuilds and demo seeding (start, counts, time)
SLOW_QUERY_MS = env.float("SLOW_QUERY_MS", default=500)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "geo_backend.common.logging.JsonLineFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": env("LOG_FORMAT", default="plain")}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "musoya": {"level": env("MUSOYA_LOG_LEVEL", default="INFO")},
        "django.request": {"level": "WARNING"},
        # pygeoapi (the OGC API at /ogc/) warns about every request without an offset; its errors still show.
        "pygeoapi": {"level": "ERROR"},
    },
}

# Debian 12 ships GDAL 3.6, which cannot block file/network access while parsing spatial references. GeoDjango
# only parses the fixed EPSG:4326 here; user files are read by pyogrio's own bundled GDAL (see etl/).
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# --- The library (documents, audio, campaigns, events) -------------------------------------------------------
# Uploaded files go through Django's storage API (STORAGES["default"]): local disk under MEDIA_ROOT by default;
# MEDIA_STORAGE=s3 stores them in an S3-compatible bucket (MinIO, Scaleway, AWS…) with django-storages
# (pip install django-storages boto3). Files are always served by the application (geo_backend.library.file_views),
# which checks who may read them, so the bucket stays private.
if env("MEDIA_STORAGE", default="local") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
# Largest accepted upload per kind of file, in bytes (a phone recording of 30 minutes in m4a is about 30 MB).
LIBRARY_MAX_UPLOAD_BYTES = {
    "pdf": env.int("LIBRARY_MAX_PDF_BYTES", default=30 * 1024 * 1024),
    "image": env.int("LIBRARY_MAX_IMAGE_BYTES", default=10 * 1024 * 1024),
    "audio": env.int("LIBRARY_MAX_AUDIO_BYTES", default=60 * 1024 * 1024),
}
# Images larger than this many pixels are refused (decompression bombs: a small file that unpacks to gigabytes).
LIBRARY_MAX_IMAGE_PIXELS = env.int("LIBRARY_MAX_IMAGE_PIXELS", default=40_000_000)
# Compact voice copy of audio recordings (ffmpeg, Opus), and limits of the external tools the worker runs.
LIBRARY_OPUS_BITRATE = env("LIBRARY_OPUS_BITRATE", default="24k")
LIBRARY_TOOL_TIMEOUT_SECONDS = env.int("LIBRARY_TOOL_TIMEOUT_SECONDS", default=300)
# procrastinate: the worker (`manage.py procrastinate worker`, started by `make run`) takes jobs from PostgreSQL.
PROCRASTINATE_WORKER_DEFAULTS = {"concurrency": 1, "delete_jobs": "successful"}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update({
    "DocumentKindEnum": "geo_backend.library.models.Document.Kind",
    "EventKindEnum": "geo_backend.library.models.Event.Kind",
    "DocumentFileKindEnum": "geo_backend.library.models.DocumentFile.Kind",
    # The library's document languages and recommendation states beside other fields named "language"/"status".
    "DocumentLanguageEnum": "geo_backend.library.models.Language",
    "RecommendationStatusEnum": "geo_backend.library.models.Recommendation.Status",
    "MessageLanguageEnum": ["fr", "en"],  # the language a person reads messages in (collaboration)
})
