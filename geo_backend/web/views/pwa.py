"""The installable app: web manifest, service worker (served at the site root so it controls every page)."""
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


def manifest(request):
    response = JsonResponse({
        "name": "Musoya",
        "short_name": "Musoya",
        "description": _("Qui fait quoi, où, pour les droits des femmes et des filles au Mali"),
        "lang": "fr",
        "start_url": "/?source=pwa",
        "scope": "/",
        "display": "standalone",
        "background_color": "#fffdf8",
        "theme_color": "#7a1f5c",
        "icons": [
            {"src": static("web/icons/musoya-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("web/icons/musoya-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("web/icons/musoya-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    })
    response["Content-Type"] = "application/manifest+json"
    return response


def sign_in_and_out_paths() -> list[str]:
    """The addresses a sign-in or sign-out is posted to, in every language: the service worker empties its private
    cache when it sees one go by."""
    paths = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths |= {reverse(name) for name in ("web:login", "web:logout", "admin:login", "admin:logout")}
    return sorted(paths)


def service_worker(request):
    response = render(request, "web/sw.js", {
        "sign_in_and_out": json.dumps(sign_in_and_out_paths()),
        # Only what every page needs: the rest (maps, editor, dashboard) is kept when a page uses it ("musoya-keep").
        "shell": json.dumps([static(path) for path in (
            "web/site.css", "web/app.js", "web/offline-queue.js", "web/icons/musoya-192.png")]
            + [reverse("javascript-catalog")]),
    }, content_type="application/javascript")
    # The browser must always check for a new worker; the worker itself decides what is cached.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


def offline(request):
    return render(request, "web/offline.html")


def health(request):
    return HttpResponse("ok", content_type="text/plain")
