"""Session sign-in for the API (the site's own scripts), with a refusal that says what is wrong.

DRF refuses a session write without the CSRF token as a bare PermissionDenied, which the one error shape turned
into "permission_denied: you are not allowed to do this", as if the person lacked the right. The cause is the
missing or stale token, which reloading the page (or sending X-CSRFToken) fixes: it gets its own code,
"csrf_failed" (its messages: api/exceptions.py). Still a DRF exception, so DRF marks the request as anonymous.
"""
from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication, exceptions


class SessionAuthentication(authentication.SessionAuthentication):
    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as refusal:
            raise exceptions.PermissionDenied(str(refusal.detail), code="csrf_failed") from None


class SessionAuthenticationScheme(SessionScheme):
    """The OpenAPI schema describes it as DRF's own session sign-in (the cookie), as before."""

    target_class = "geo_backend.api.auth.SessionAuthentication"
