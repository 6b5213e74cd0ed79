"""Request and response rules for the whole site and API."""
from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from .views.errors import api_error, body_too_large


class RequestBodyLimitMiddleware:
    """Refuses a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE with 413 (body_too_large) before anything reads it.

    Django checks that limit only when request.body or request.POST is read, and DRF's JSON parser reads the stream
    without it; answering from the declared length covers both. Multipart uploads keep Django's own rule (files do
    not count): a form field over the limit raises RequestDataTooBig, which views.errors.bad_request maps to 413.
    A view may name its own 413 error (body_too_large_error)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and not request.content_type.startswith("multipart/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                return self.refusal(request)
        return self.get_response(request)

    @staticmethod
    def refusal(request):
        """The 413 answer: the generic one, or the error the view names in body_too_large_error (code, French,
        English) when it has a better hint (the import API: send the file as multipart instead)."""
        try:
            view = getattr(resolve(request.path_info).func, "view_class", None)
        except Resolver404:
            view = None
        own = getattr(view, "body_too_large_error", None)
        return api_error(*own, 413) if own else body_too_large(request)


class PrivateAnswersMiddleware:
    """Marks every answer made for a signed-in person Cache-Control: private, unless the view declared it public
    (the same for everyone, like the boundary layers). Shared caches must not keep them, and the service worker
    stores them apart from public answers and drops them at sign-out (web/sw.js)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True)
        return response


class OutboxAccountMiddleware:
    """The offline outbox sends each queued edit with X-Musoya-Account, the account that made it. If someone else is
    signed in now (another person on the same phone, signed in from another tab), the edit is refused before any
    view sees it (409 account_mismatch), and the outbox keeps it for its owner."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        expected = request.META.get("HTTP_X_MUSOYA_ACCOUNT")
        if expected is not None:
            user = request.user
            if not user.is_authenticated or str(user.pk) != expected:
                return api_error("account_mismatch", "Cette modification a été faite sous un autre compte.",
                                 "This change was made under another account.", 409)
        return self.get_response(request)
