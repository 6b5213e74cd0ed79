"""Sign-in protection for every path that signs someone in (site, admin, API token), built on django-axes.

- django-axes counts failed attempts in the database (shared by every gunicorn worker) per account and address, and
  refuses further attempts for LOGIN_LOCKOUT_SECONDS once LOGIN_MAX_FAILURES is reached.
- axes checks the count, then the password is evaluated, then the failure is recorded: concurrent attempts could all
  pass the check before any failure is written. SignInBackend therefore makes the attempts for one account wait
  for each other (a PostgreSQL advisory lock held from the check until the failure is recorded), so no more than
  LOGIN_MAX_FAILURES passwords are ever evaluated.
- Usernames are compared in their NFKC form (as Django stores them), and counted in their NFKC, case-folded form,
  so "ａｍｉｎａ" or "Amina" share the counter of "amina".
"""
import threading
import unicodedata
from datetime import timedelta

from axes.backends import AxesBackend, AxesStandaloneBackend
from axes.exceptions import AxesBackendRequestParameterRequired
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_OUT_FR = "Trop de tentatives de connexion. Réessayez dans quelques minutes."
LOCKED_OUT_EN = "Too many sign-in attempts. Try again in a few minutes."


def normalise_username(username: str) -> str:
    """The form a username is stored and looked up in (Django's own AbstractBaseUser.normalize_username)."""
    return unicodedata.normalize("NFKC", username)


def counted_username(username: str) -> str:
    """The form failed attempts are counted under: every width, compatibility and case variant together."""
    return unicodedata.normalize("NFKC", normalise_username(username).casefold())


# django-axes settings that are callables (settings.AXES_*): read at each attempt, so the two environment knobs
# LOGIN_MAX_FAILURES and LOGIN_LOCKOUT_SECONDS stay the only ones.
def failure_limit(request, credentials) -> int:
    return settings.LOGIN_MAX_FAILURES


def cool_off(request) -> timedelta:
    return timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def attempted_username(request, credentials) -> str | None:
    username = (credentials or {}).get(get_user_model().USERNAME_FIELD)
    if username is None and request is not None:
        data = getattr(request, "data", None)  # a DRF request
        username = (data if data is not None else request.POST).get(get_user_model().USERNAME_FIELD)
    return counted_username(str(username)) if username else None


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out attempt gets: the API's error shape under /api/, the translated sign-in page elsewhere."""
    retry_after = settings.LOGIN_LOCKOUT_SECONDS
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "locked_out", "message": {"fr": LOCKED_OUT_FR, "en": LOCKED_OUT_EN},
                                 "details": {"retry_after_seconds": retry_after}}, status=429)
    else:
        response = render(request, "web/login.html", {
            "lockout_message": _("Trop de tentatives de connexion. Réessayez dans quelques minutes."),
        }, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class SignInBackend(AxesBackend):
    """django-axes' lockout check and Django's password check, one attempt per account at a time."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username if username is not None else kwargs.pop(get_user_model().USERNAME_FIELD, None)
        if username is None or password is None:
            return None
        if request is None:
            raise AxesBackendRequestParameterRequired("Sign-in needs the request, so attempts can be counted")
        username = normalise_username(str(username))
        hold_sign_in_lock(counted_username(username))
        try:
            # Raises PermissionDenied when locked out; django.contrib.auth.authenticate() then sends
            # user_login_failed, which records the attempt and releases the lock (release_sign_in_locks).
            AxesStandaloneBackend.authenticate(self, request, username=username, password=password, **kwargs)
            user = ModelBackend.authenticate(self, request, username=username, password=password, **kwargs)
        except PermissionDenied:
            raise
        except BaseException:
            release_sign_in_locks()
            raise
        if user is not None:
            release_sign_in_locks()
        # None: authenticate() sends user_login_failed; axes records the failure, then the lock is released.
        return user


_held = threading.local()


def hold_sign_in_lock(key: str) -> None:
    """Waits until no other attempt for this account is in progress (on any worker), then holds the lock."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [key])
    _held.keys = [*getattr(_held, "keys", []), key]


def release_sign_in_locks(**_signal_arguments) -> None:
    """Receiver of user_login_failed (connected after django-axes' own, so the failure is already recorded) and of
    request_finished (in case an attempt ended some other way)."""
    keys = getattr(_held, "keys", [])
    if not keys:
        return
    _held.keys = []
    if connection.connection is None:  # the connection was closed, and its session locks with it
        return
    with connection.cursor() as cursor:
        for key in keys:
            cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [key])


def normalise_stored_username(sender, instance, **kwargs) -> None:
    """pre_save of the user model: every way an account is created or renamed stores the NFKC form."""
    field = instance.USERNAME_FIELD
    value = getattr(instance, field, None)
    if isinstance(value, str):
        setattr(instance, field, normalise_username(value))
