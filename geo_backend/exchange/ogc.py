"""OGC API - Features at /ogc/ on the site's own origin, served by pygeoapi (its core API and PostgreSQL provider)
from the database views of ogc_sql.py: interventions' zones as a visitor sees them, admin units per level and
localities. Public data only: the views apply the visitor's rules whoever asks.

pygeoapi is configured here from Django's settings and database connection (no YAML file). Its HTML pages load
scripts from CDNs, which this project never does, so every answer is JSON (GeoJSON for features): a request for
HTML gets JSON too.
"""
import threading

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import re_path
from django.views.decorators.http import require_GET

from .ogc_sql import LOCALITIES_VIEW, UNIT_VIEWS, ZONES_VIEW

MALI_BBOX = [-12.25, 10.15, 4.25, 25.0]
_lock = threading.Lock()
_apis: dict[str, object] = {}


def _database() -> dict:
    db = connection.settings_dict
    data = {"host": db.get("HOST") or "localhost", "port": int(db.get("PORT") or 5432), "dbname": db["NAME"],
            "user": db.get("USER") or "", "search_path": ["public"]}
    if db.get("PASSWORD"):
        data["password"] = db["PASSWORD"]
    return data


def _collection(title_fr: str, title_en: str, description: str, view: str, id_field: str, keywords: list) -> dict:
    return {
        "type": "collection",
        "title": {"fr": title_fr, "en": title_en},
        "description": description,
        "keywords": keywords,
        "extents": {"spatial": {"bbox": MALI_BBOX, "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
        "providers": [{"type": "feature", "name": "PostgreSQL", "data": _database(), "id_field": id_field,
                       "table": view, "geom_field": "geom"}],
    }


def pygeoapi_config(url: str) -> dict:
    """The pygeoapi configuration for a server answering at url (…/ogc)."""
    levels = {1: ("Régions", "Regions"), 2: ("Cercles", "Cercles"), 3: ("Communes", "Communes")}
    resources = {
        "zones": _collection(
            "Zones d'intervention", "Intervention zones",
            "Zones des interventions validées : exactes si publiques, communes entières si approximatives.",
            ZONES_VIEW, "zone", ["interventions", "droits des femmes", "3W"]),
        **{f"admin{level}": _collection(fr, en, f"{fr} du Mali (COD-AB), géométrie simplifiée.", view, "pcode",
                                        ["limites administratives", "P-codes"])
           for level, view in UNIT_VIEWS.items() for fr, en in [levels[level]]},
        "localities": _collection("Localités", "Populated places", "Localités (OCHA COD Populated Places, 2015).",
                                  LOCALITIES_VIEW, "pcode", ["localités", "villages"]),
    }
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 8000}, "url": url, "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8", "languages": ["fr-FR", "en-US"], "pretty_print": False,
            "limits": {"default_items": 100, "max_items": getattr(settings, "OGC_MAX_ITEMS", 1000)},
            "map": {"url": "", "attribution": ""},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": {"fr": "Musoya : qui fait quoi, où", "en": "Musoya: who does what, where"},
                "description": {"fr": "Interventions pour les droits des femmes et des filles au Mali.",
                                "en": "Interventions for the rights of women and girls in Mali."},
                "keywords": ["Mali", "droits des femmes", "3W"], "keywords_type": "theme", "url": url,
                "terms_of_service": "",
            },
            "license": {"name": "COD-AB Mali (OCHA); interventions: Musoya", "url": url.removesuffix("/ogc")
                        + "/a-propos/"},
            "provider": {"name": "Musoya", "url": url},
            "contact": {"name": "Musoya", "url": url},
        },
        "resources": resources,
    }


def _api(url: str):
    """The pygeoapi API object for this base URL (one per host the site answers on, built once)."""
    from pygeoapi.api import API
    from pygeoapi.openapi import get_oas

    key = f"{url}|{connection.settings_dict['NAME']}"
    with _lock:
        api = _apis.get(key)
        if api is None:
            config = pygeoapi_config(url)
            api = API(config, get_oas(config, fail_on_invalid_collection=False))
            _apis[key] = api
        return api


def _json_only(request: HttpRequest) -> None:
    query = request.GET.copy()
    if query.get("f", "html") == "html":
        query["f"] = "json"
    request.GET = query


def _call(function, request: HttpRequest, *args) -> HttpResponse:
    from pygeoapi.api import APIRequest, apply_gzip

    _json_only(request)
    api = _api(request.build_absolute_uri("/ogc").rstrip("/"))
    api_request = APIRequest.from_django(request, api.locales)
    headers, status, content = function(api, api_request, *args)
    response = HttpResponse(apply_gzip(headers, content), status=status)
    for key, value in headers.items():
        response[key] = value
    return response


@require_GET
def landing(request):
    from pygeoapi.api import landing_page

    return _call(landing_page, request)


@require_GET
def conformance(request):
    from pygeoapi.api import conformance as conformance_

    return _call(conformance_, request)


@require_GET
def openapi(request):
    from pygeoapi.api import openapi_

    return _call(openapi_, request)


@require_GET
def collections(request, collection_id=None):
    from pygeoapi.api import describe_collections

    return _call(describe_collections, request, collection_id)


@require_GET
def queryables(request, collection_id):
    from pygeoapi.api.itemtypes import get_collection_queryables

    return _call(get_collection_queryables, request, collection_id)


@require_GET
def items(request, collection_id):
    from pygeoapi.api.itemtypes import get_collection_items

    return _call(get_collection_items, request, collection_id)


@require_GET
def item(request, collection_id, item_id):
    from pygeoapi.api.itemtypes import get_collection_item

    return _call(get_collection_item, request, collection_id, item_id)


urlpatterns = [
    re_path(r"^$", landing, name="ogc-landing"),
    re_path(r"^conformance/?$", conformance, name="ogc-conformance"),
    re_path(r"^openapi/?$", openapi, name="ogc-openapi"),
    re_path(r"^collections/?$", collections, name="ogc-collections"),
    re_path(r"^collections/(?P<collection_id>[\w-]+)/?$", collections, name="ogc-collection"),
    re_path(r"^collections/(?P<collection_id>[\w-]+)/queryables/?$", queryables, name="ogc-queryables"),
    re_path(r"^collections/(?P<collection_id>[\w-]+)/items/?$", items, name="ogc-items"),
    re_path(r"^collections/(?P<collection_id>[\w-]+)/items/(?P<item_id>[^/]+)/?$", item, name="ogc-item"),
]
