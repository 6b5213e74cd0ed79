from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "geo_backend.web"
    label = "web"

    def ready(self):
        from django.conf import settings
        from django.contrib.auth.signals import user_login_failed
        from django.core.signals import request_finished
        from django.db.models.signals import pre_save

        from . import signin

        # After django-axes' receiver (the "axes" app is listed before this one): the failure is recorded first.
        user_login_failed.connect(signin.release_sign_in_locks, dispatch_uid="musoya-release-sign-in-locks")
        request_finished.connect(signin.release_sign_in_locks, dispatch_uid="musoya-release-sign-in-locks-end")
        pre_save.connect(signin.normalise_stored_username, sender=settings.AUTH_USER_MODEL,
                         dispatch_uid="musoya-normalise-username")
