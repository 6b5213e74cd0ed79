"""Who is asking, in which language: the dashboard's Dash requests carry the site's cookies, and Django's session
and language cookie decide here as they do on the site (organisations/access/ turns the user into an Audience)."""
from collections.abc import Mapping
from importlib import import_module


def _user(cookies: Mapping[str, str]):
    """The Django user of the session these cookies carry (AnonymousUser without a valid one)."""
    from django.conf import settings
    from django.contrib.auth import get_user
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    session_key = cookies.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return AnonymousUser()
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return get_user(request)


def audience_from_cookies(cookies: Mapping[str, str]):
    """The Audience of the person whose browser sent these cookies: Django's session decides, as on the site."""
    from geo_backend.organisations.access import audience_for

    return audience_for(_user(cookies))


def person_from_cookies(cookies: Mapping[str, str]) -> tuple[str | None, object]:
    """The signed-in person's user name (None for a visitor) and Audience."""
    from geo_backend.organisations.access import audience_for

    user = _user(cookies)
    return (user.get_username() if user.is_authenticated else None), audience_for(user)


def language_from_cookies(cookies: Mapping[str, str]) -> str:
    """The language chosen with the site's switch (Django's language cookie); French otherwise."""
    from django.conf import settings

    code = cookies.get(settings.LANGUAGE_COOKIE_NAME) or ""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def csrf_token(cookies: Mapping[str, str]) -> tuple[str, str | None]:
    """A CSRF token for the language form (which posts to the site's /i18n/setlang/), and the new secret to set as
    the CSRF cookie when the browser has none yet (else None)."""
    from django.conf import settings
    from django.http import HttpRequest
    from django.middleware.csrf import get_token

    request = HttpRequest()
    secret = cookies.get(settings.CSRF_COOKIE_NAME) or ""
    if len(secret) == 32 and secret.isalnum():
        request.META["CSRF_COOKIE"] = secret
        return get_token(request), None
    token = get_token(request)
    return token, request.META["CSRF_COOKIE"]


def database_request_started() -> None:
    """Dash requests bypass Django's request cycle: close connections that are broken or past CONN_MAX_AGE, as
    Django's close_old_connections does at the start and end of each of its requests (but never one inside a
    transaction, which only happens when tests call the app in theirs)."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
