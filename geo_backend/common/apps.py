from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created


def _install_slow_query_log(sender, connection, **kwargs):
    from .logging import log_slow_queries

    if not any(getattr(w, "musoya_slow_query_log", False) for w in connection.execute_wrappers):
        wrapper = log_slow_queries(settings.SLOW_QUERY_MS)
        wrapper.musoya_slow_query_log = True
        # At the bottom of the stack: connection.execute_wrapper() blocks (pghistory's context among them) push on top
        # and pop the last one on exit, so a wrapper appended while one is open would make it pop ours, not its own.
        connection.execute_wrappers.insert(0, wrapper)


class CommonConfig(AppConfig):
    name = "geo_backend.common"
    label = "common"

    def ready(self):
        from . import lookups  # noqa: F401  (registers field__any)

        if settings.SLOW_QUERY_MS:
            connection_created.connect(_install_slow_query_log, dispatch_uid="musoya_slow_query_log")
