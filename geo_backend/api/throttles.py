"""API rate limits, counted in the shared cache (settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])."""
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


class SettingsRateMixin:
    """Reads the rate when asked rather than when DRF's classes were defined, so a changed setting applies."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class WriteRateThrottle(SettingsRateMixin, UserRateThrottle):
    """Changes per signed-in person (per address for anyone else); reading is not limited here."""

    scope = "writes"

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class SignInRateThrottle(SettingsRateMixin, SimpleRateThrottle):
    """Token requests per address, in front of django-axes' per-account lockout."""

    scope = "sign_in"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
