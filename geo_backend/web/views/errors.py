"""Error answers (settings handler400/403/404/500): the API's one error shape under /api/, translated pages
elsewhere."""
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def api_error(code: str, message_fr: str, message_en: str, status: int) -> JsonResponse:
    return JsonResponse({"code": code, "message": {"fr": message_fr, "en": message_en}}, status=status)


def page(request, status: int, title: str, message: str):
    return render(request, "web/error.html", {"title": title, "message": message}, status=status)


def body_too_large(request):
    if is_api(request):
        return api_error("body_too_large", "Requête trop volumineuse.", "Request body too large.", 413)
    return page(request, 413, _("Envoi trop volumineux"),
                _("Ce que vous avez envoyé dépasse la taille autorisée. Réduisez-le puis réessayez."))


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return body_too_large(request)
    if is_api(request):
        return api_error("bad_request", "Requête invalide.", "Bad request.", 400)
    return page(request, 400, _("Requête invalide"), _("Cette requête n'a pas pu être comprise."))


def permission_denied(request, exception=None):
    if is_api(request):
        return api_error("permission_denied", "Vous n'avez pas le droit de faire cela.",
                         "You are not allowed to do this.", 403)
    return page(request, 403, _("Accès refusé"), _("Vous n'avez pas accès à cette page."))


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form sent without its token, mostly one left open past the session or sent
    again after signing out and in. Django's own page is in English and speaks of tokens."""
    return page(request, 403, _("Formulaire expiré"),
                _("Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page, puis envoyez-le à nouveau."))


def not_found(request, exception=None):
    if is_api(request):
        return api_error("not_found", "Ressource introuvable.", "Not found.", 404)
    return page(request, 404, _("Page introuvable"), _("Cette adresse ne correspond à aucune page du site."))


def server_error(request):
    if is_api(request):
        return api_error("server_error", "Erreur interne du serveur. Réessayez plus tard.",
                         "Internal server error. Try again later.", 500)
    # No request context: the database may be what failed, and the context processors read it.
    return HttpResponse(render_to_string("web/server_error.html"), status=500)
