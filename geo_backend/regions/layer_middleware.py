"""The site's boundary layers and area tiles at the speed of a static file.

The layers the site asks for (/api/v1/areas/?level=N and /tiles/areas/z/x/y.pbf of the default edition) are the
same bytes for everyone until a load changes the edition. Through Django's whole stack (sessions, locale, URL
resolving, DRF, a database round trip for the edition) a stored layer ran at a fifth of a static file's rate. So this
middleware, placed where WhiteNoise serves the static files, answers them from the worker's memory (layer_store),
under the token the pointer names (layer_pointer), with the headers Django's path gives them: the middleware above
it (security headers, Content-Security-Policy) apply to both paths alike, and tests/regions/test_layer_fast_path.py
compares the two answers header by header.

Only the exact variants above take this path, and only for a request whose answer cannot differ from the stored one:
anything else (another parameter, a signed-in session, a token, a method other than GET, a layer this worker has not
served yet...) goes on to Django, which checks it, refuses unknown parameters in the one error shape, renders or
reads the layer and keeps it in memory for the next request.
"""
import re
import string

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.http import parse_etags
from django.utils.translation import get_language_from_path, get_language_from_request

from .api_views import REFERENCE_CACHE_CONTROL
from .layer_pointer import pointer_read
from .layer_store import areas_parameters, remembered_layer, tile_parameters

AREAS_QUERY = re.compile(r"level=([0-4])")
TILE_PATH = re.compile(r"(0|[1-9]\d?)/(0|[1-9]\d*)/(0|[1-9]\d*)\.pbf")
# What the inner middleware and DRF add to the view's answer (tests compare both paths).
VARY = "Accept-Encoding, Accept, Accept-Language, Cookie"
ALLOW = "GET, HEAD, OPTIONS"
# DRF answers 406 unless one of the client's media ranges matches a renderer (JSON, browsable API): the fast path
# takes only those it knows match.
ACCEPTED_MEDIA = frozenset({"*/*", "application/*", "application/json", "text/*", "text/html"})
# Headers that can change Django's answer (401, 409, 412) or its cookies.
FALL_THROUGH_HEADERS = ("HTTP_AUTHORIZATION", "HTTP_X_MUSOYA_ACCOUNT", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")
CSRF_TOKEN_CHARACTERS = frozenset(string.ascii_letters + string.digits)


class StoredLayerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = None
        self.language = None

    def __call__(self, request):
        layer = self.layer_for(request) if request.method == "GET" else None
        if layer is None:
            return self.get_response(request)
        return self.answer(request, layer)

    def routes(self) -> tuple[str, str]:
        """The areas path and the tiles' prefix, from the URLconf (resolved once, on the first request)."""
        if self.prefixes is None:
            self.prefixes = (reverse("area-list"), reverse("area-tile", args=[0, 0, 0]).removesuffix("0/0/0.pbf"))
            self.language = fixed_language(self.prefixes)
        return self.prefixes

    def layer_for(self, request):
        areas_path, tiles_prefix = self.routes()
        path, query = request.path, request.META.get("QUERY_STRING", "")  # reverse() includes SCRIPT_NAME too
        if path == areas_path and (match := AREAS_QUERY.fullmatch(query)):
            kind, parameters = "areas", areas_parameters(level=int(match[1]), parent=None, geometry="web")
        elif path.startswith(tiles_prefix) and not query and (match := TILE_PATH.fullmatch(path[len(tiles_prefix):])):
            kind, parameters = "tile", tile_parameters(z=int(match[1]), x=int(match[2]), y=int(match[3]), level=None)
        else:
            return None
        if not plain_request(request):
            return None
        pointer = pointer_read()
        return None if pointer is None else remembered_layer(*pointer, kind, parameters)

    def answer(self, request, layer) -> HttpResponse:
        headers = {"Cache-Control": REFERENCE_CACHE_CONTROL, "ETag": layer.etag, "Vary": VARY,
                   "Content-Language": self.language or content_language(request)}
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match and not none_match_passes(layer.etag, parse_etags(if_none_match)):
            response = HttpResponseNotModified(headers=headers)
            response["Content-Length"] = "0"
            return response
        body, encoding = layer.encoded(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        response = HttpResponse(body, content_type=layer.content_type, headers=headers)
        if encoding:
            response["Content-Encoding"] = encoding
        response["Allow"] = ALLOW
        response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
        response["Content-Length"] = str(len(body))
        return response


def plain_request(request) -> bool:
    """True when Django's answer would be the stored layer with the usual headers: no credentials, no session, no
    cookie Django would replace, a host it accepts, a format DRF serves."""
    meta = request.META
    if any(name in meta for name in FALL_THROUGH_HEADERS):
        return False
    if "HTTP_COOKIE" in meta:
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies:  # signed in, or a stale session Django would delete
            return False
        csrf = cookies.get(settings.CSRF_COOKIE_NAME)
        # A malformed CSRF cookie is replaced by Django (Set-Cookie); a well-formed one changes nothing.
        if csrf is not None and not (len(csrf) in (32, 64) and set(csrf) <= CSRF_TOKEN_CHARACTERS):
            return False
    accept = meta.get("HTTP_ACCEPT")
    if accept and not any(part.split(";")[0].strip().lower() in ACCEPTED_MEDIA for part in accept.split(",")):
        return False
    try:
        request.get_host()  # CommonMiddleware would answer 400 to a host not in ALLOWED_HOSTS
    except DisallowedHost:
        return False
    return True


def fixed_language(paths) -> str | None:
    """The language LocaleMiddleware announces for every request to these paths, if it does not depend on the
    request: paths outside i18n_patterns whose default language has no prefix get LANGUAGE_CODE."""
    i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(settings.ROOT_URLCONF)
    if i18n_patterns_used and not prefixed_default_language and not any(map(get_language_from_path, paths)):
        return settings.LANGUAGE_CODE
    return None


def content_language(request) -> str:
    """The language LocaleMiddleware would announce for this request, by its own rule."""
    i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(settings.ROOT_URLCONF)
    if i18n_patterns_used and not prefixed_default_language and not get_language_from_path(request.path_info):
        return settings.LANGUAGE_CODE
    return get_language_from_request(request, check_path=i18n_patterns_used)


def none_match_passes(etag: str, etags: list[str]) -> bool:
    """Django's If-None-Match rule (weak comparison, `*` matches): False means 304 Not Modified."""
    if etags == ["*"]:
        return False
    return etag.strip("W/") not in (candidate.strip("W/") for candidate in etags)
