"""WSGI entry point: the Django site and API, with the Dash dashboard mounted at /tableau-de-bord/.

One process, one address (http://127.0.0.1:8000): gunicorn serves `geo_backend.wsgi:application`.
"""
import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
from werkzeug.middleware.dispatcher import DispatcherMiddleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo_backend.settings.base")

django_application = get_wsgi_application()

from dashboards.app import DASHBOARD_PREFIX, create_dash_app  # noqa: E402  (needs Django set up first)
from geo_backend.common.statement_timeout import read_only_app  # noqa: E402

# The dashboard only reads (its callbacks are POSTs, but read): the web read time limit applies to its queries.
application = DispatcherMiddleware(django_application, {DASHBOARD_PREFIX: read_only_app(create_dash_app().server)})

# Everything made while starting (Django's URLs and views, Dash, Plotly, pandas: some 245,000 objects) lives as long
# as the process: moved out of the cyclic collector's reach (gc.freeze), a collection during a request scans only
# that request's objects. The overlaps report at 20,000 zones (30,000 rows) spent over half of its 0.7 s in
# collections that walked the start-up heap again and again.
len(get_resolver().url_patterns)  # imports the URLs and every view now rather than on the first request
gc.freeze()
