"""WSGI entry point: the Django site and API, with the Dash dashboard mounted at /tableau-de-bord/.

One process, one address (http://127.0.0.1:8000): gunicorn serves `geo_backend.wsgi:application`.
"""
import os

from django.core.wsgi import get_wsgi_application
from werkzeug.middleware.dispatcher import DispatcherMiddleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_backend.settings.base")

django_application = get_wsgi_application()

from dashboards.app import DASHBOARD_PREFIX, create_dash_app  # noqa: E402  (needs Django set up first)
from geo_backend.common.statement_timeout import read_only_app  # noqa: E402

# The dashboard only reads (its callbacks are POSTs, but read): the web read time limit applies to its queries.
application = DispatcherMiddleware(django_application, {DASHBOARD_PREFIX: read_only_app(create_dash_app().server)})
