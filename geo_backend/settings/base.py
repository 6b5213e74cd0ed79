"""Settings shared by every environment. Values come from the environment (see .env.example)."""
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
    "leaflet",
    "rest_framework.authtoken",
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
    "geo_backend.library",
    "geo_backend.api",
    "geo_backend.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Groups every change of a request under one history context (who, which URL).
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
USE_I18N = True
TIME_ZONE = "Africa/Bamako"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "var" / "media"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Token first: its WWW-Authenticate challenge makes DRF answer 401 (not 403) to someone not signed in.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
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
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "geo_backend.organisations.models.Organisation.Kind",
        "ContactKindEnum": "geo_backend.organisations.models.Contact.Kind",
        "OrganisationStatusEnum": "geo_backend.organisations.models.Organisation.Status",
        "InterventionStatusEnum": "geo_backend.zones.models.Intervention.Status",
        "MembershipStatusEnum": "geo_backend.organisations.models.Membership.Status",
    },
}

# The cache is a database table (no extra server to run): login throttling shares it across gunicorn workers.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "musoya_cache"}}
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:espace"
LOGOUT_REDIRECT_URL = "web:home"
# Sign-in attempts allowed per account and address before a pause.
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=900)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Musoya <noreply@musoya.example.org>")

# Where reference files come from: the copies committed (xz-compressed) in data/regions/ by default; a folder of
# uncompressed files (BOUNDARY_MIRROR) or a download address can supply another edition. sha256 checked in all cases.
BOUNDARY_BUNDLED_DIR = BASE_DIR / "data" / "regions"
BOUNDARY_MIRROR = env("BOUNDARY_MIRROR", default="")
BOUNDARY_DOWNLOAD_BASE_URL = env("BOUNDARY_DOWNLOAD_BASE_URL", default="")
BOUNDARY_CACHE = BASE_DIR / "var" / "reference-data"

# Demo data and demo accounts (manage.py seed_demo) exist only where this is true; never in production.
MUSOYA_DEMO_ALLOWED = env.bool("MUSOYA_DEMO_ALLOWED", default=True)

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
})
