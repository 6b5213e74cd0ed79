from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created


def _install_slow_query_log(sender, connection, **kwargs):
    from .logging import log_slow_queries

    if not any(getattr(w, "musoya_slow_query_log", False) for w in connection.execute_wrappers):
        wrapper = log_slow_queries(settings.SLOW_QUERY_MS)
        wrapper.musoya_slow_query_log = True
        # At the bottom of the stack, not the top: this runs when a connection opens, which can happen inside
        # pghistory.context() (its wrapper already installed); context managers pop the LAST wrapper on exit, so
        # appending here made pghistory pop ours and leave its own behind, and the next statement outside any
        # context failed ("'_thread._local' object has no attribute 'value'": sign-in, dashboard callbacks).
        connection.execute_wrappers.insert(0, wrapper)


class CommonConfig(AppConfig):
    name = "geo_backend.common"
    label = "common"

    def ready(self):
        if settings.SLOW_QUERY_MS:
            connection_created.connect(_install_slow_query_log, dispatch_uid="musoya_slow_query_log")
