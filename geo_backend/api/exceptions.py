"""Maps every error the API raises to one shape: {"code", "message": {"fr", "en"}, "details"?}."""
import logging

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from geo_backend.common.errors import DomainError
from geo_backend.common.statement_timeout import database_refusal

logger = logging.getLogger("musoya.api")

# Messages for DRF's own errors, keyed by DRF's stable codes.
_DRF_MESSAGES = {
    "not_found": ("Ressource introuvable.", "Not found."),
    "not_authenticated": ("Connexion requise.", "You must sign in."),
    "authentication_failed": ("Identifiants invalides.", "Invalid credentials."),
    "permission_denied": ("Vous n'avez pas le droit de faire cela.", "You are not allowed to do this."),
    "csrf_failed": ("Jeton CSRF absent ou expiré : rechargez la page (ou envoyez l'en-tête X-CSRFToken), puis "
                    "réessayez.",
                    "Missing or stale CSRF token: reload the page (or send the X-CSRFToken header), then try again."),
    "method_not_allowed": ("Méthode non autorisée.", "Method not allowed."),
    "throttled": ("Trop de requêtes, réessayez plus tard.", "Too many requests, try again later."),
    "parse_error": ("Requête illisible.", "Malformed request."),
    "invalid": ("Données invalides.", "Invalid data."),
    "unsupported_media_type": ("Type de contenu non pris en charge.", "Unsupported media type."),
    "not_acceptable": ("Format de réponse non disponible.", "Response format not available."),
}


def exception_handler(exc, context):
    response = _error_response(exc, context)
    request = context.get("request")
    if response is not None and request is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
        logger.info("refused %s %s: %s %s (user %s)", request.method, request.path, response.status_code,
                    response.data.get("code") if isinstance(response.data, dict) else "",
                    getattr(request.user, "pk", None))
    return response


def _error_response(exc, context):
    exc = database_refusal(exc) or exc  # a statement past its time limit (503), a write conflict (409)
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        details = exc.detail
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
        details = None
    message_fr, message_en = _DRF_MESSAGES.get(code, ("Erreur.", "Error."))
    body = {"code": code, "message": {"fr": message_fr, "en": message_en}}
    if details:
        body["details"] = details
    response.data = body
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS and getattr(exc, "wait", None):
        body["details"] = {"retry_after_seconds": exc.wait}
    return response
