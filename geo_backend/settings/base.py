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
    "geo_backend.common",
    "geo_backend.regions",
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
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "EXCEPTION_HANDLER": "geo_backend.api.exceptions.exception_handler",
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
}

# Where boundary files are read from: a local mirror folder, else downloaded from the manifest addresses.
_default_mirror = BASE_DIR.parent / "shared" / "data" / "mali"
BOUNDARY_MIRROR = env.path("BOUNDARY_MIRROR", default=str(_default_mirror) if _default_mirror.is_dir() else "")
BOUNDARY_DOWNLOAD_BASE_URL = env("BOUNDARY_DOWNLOAD_BASE_URL", default="")
BOUNDARY_CACHE = BASE_DIR / "var" / "downloads"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Debian 12 ships GDAL 3.6, which cannot block file/network access while parsing spatial references. GeoDjango
# only parses the fixed EPSG:4326 here; user files are read by pyogrio's own bundled GDAL (see etl/).
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
