"""Signing in and out of the site. Attempts are counted and locked out by django-axes (geo_backend.web.signin),
for this page, the admin's and the API token endpoint alike."""
from django.contrib.auth import views as auth_views


class SignInView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Signs out and tells the browser to drop what it cached for this person. The service worker's private cache is
    purged by the worker itself when it sees this sign-out go by (web/sw.js); the on-device outbox is kept, since
    its entries carry their account and are only sent for that account (offline-queue.js)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache"'
        return response
