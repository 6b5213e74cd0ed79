"""The Plotly Dash dashboard, mounted by geo_backend/wsgi.py at /tableau-de-bord/ (same origin as the site).

One Dash app, five views (dashboards/pages/), routed on the path with dcc.Location. The query string holds the
filters: a view reads it when it is built, and the browser rewrites it on every filter change (URL_WRITER, which
mirrors state.to_query), so the address always reopens the same view.

Who is asking and in which language come from the site's own cookies (Django's session and language cookie), read
in data/audience.py. Light on the wire: plotly.js and Dash's assets are served locally, fingerprinted and cached for a
year; map geometries are served once at a fingerprinted address that Plotly fetches and the browser caches; a filter
change answers with the measured values only (a dash.Patch) and one page of the table; JSON, scripts and
geometries are gzip-compressed here, since Django's middleware does not see the dashboard's requests.
"""
import functools
import json
import re
from urllib.parse import urlsplit

import flask
from dash import Dash, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate
from django.utils import translation
from django.utils.translation import gettext as _

from . import compression, data, state
from .pages import BY_PATH, PAGES, common

DASHBOARD_PREFIX = common.DASHBOARD_PREFIX
ONE_YEAR = 31_536_000
PLOTLY_BUNDLE = "dashboards/plotly-musoya.min.js"  # under settings.PLOTLY_BUNDLE_DIR, a static files folder
ICON = "web/icons/musoya-192.png"  # the site's icon (1.6 KB), a static file
UNUSED_SCRIPTS = re.compile(r'<script src="[^"]*/dash_table/bundle[^"]*"></script>\n?')
POLYFILL = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>\n?')
UNFINGERPRINTED_MAX_AGE = 86_400
# The part of dcc.Graph its component loads when a graph is first drawn (Dash's lazily loaded chunk).
GRAPH_CHUNK = "_dash-component-suites/dash/dcc/async-graph.js"
# The base map Plotly asks for (world_110m.json…): empty, since the maps draw only the boundaries they are given.
EMPTY_TOPOLOGY = json.dumps({"type": "Topology", "arcs": [], "objects": {
    layer: {"type": "GeometryCollection", "geometries": []}
    for layer in ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")}})

STYLE = """
:root { --ink: #1d1d1f; --muted: #4a4a4f; --accent: #7a1f5c; --paper: #fffdf8; --line: #d6d0c4; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: var(--paper); margin: 0; line-height: 1.45; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #d95f02; outline-offset: 2px; }
.top { display: flex; flex-wrap: wrap; gap: .5rem 1.2rem; align-items: center; padding: .6rem 1rem;
       background: var(--accent); color: #fff; }
.top a { color: #fff; }
.brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; }
.views { display: flex; gap: .9rem; flex-wrap: wrap; }
.views a { text-decoration: none; padding: .1rem 0; border-bottom: 2px solid transparent; }
.views a.active { border-bottom-color: #fff; font-weight: 600; }
.who { margin-left: auto; font-size: .9rem; }
.language { display: flex; gap: .3rem; align-items: center; font-size: .9rem; }
.language button { background: transparent; color: #fff; border: 1px solid #fff; border-radius: 3px;
                   padding: .1rem .45rem; cursor: pointer; font: inherit; }
.language button[aria-pressed=true] { background: #fff; color: var(--accent); }
main { padding: .5rem 1rem 1rem; max-width: 88rem; margin: 0 auto; }
h1 { font-size: 1.45rem; margin: .6rem 0 .2rem; }
h2 { font-size: 1.1rem; margin: .4rem 0; }
.intro { color: var(--muted); margin: 0 0 .6rem; max-width: 60rem; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1.2rem; align-items: flex-start; padding: .5rem .7rem;
           border: 1px solid var(--line); border-radius: 4px; background: #fff; }
.filter { min-width: 12rem; flex: 1 1 12rem; }
.filter.wide { flex: 2 1 20rem; }
.filter-label { display: block; font-weight: 600; font-size: .85rem; margin-bottom: .15rem; }
.filter label { margin-right: .6rem; font-size: .9rem; }
.status { margin: .4rem 0; }
.summary { margin: .2rem 0; }
.demo-note { margin: .2rem 0; font-weight: 600; color: #7a4a00; }
.demo-note:not(:empty) { background: #fff4d6; border: 1px solid #e0b54a; padding: .25rem .5rem; border-radius: 3px;
                         display: inline-block; }
.map-and-detail { display: grid; grid-template-columns: minmax(0, 1fr) 24rem; gap: 1rem; align-items: start; }
.detail { border-left: 3px solid var(--accent); padding-left: .75rem; max-height: 560px; overflow: auto; }
.two-charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(24rem, 1fr)); gap: 1rem; }
.table-block { margin-top: 1rem; }
.table-scroll { overflow-x: auto; }
.data-table { border-collapse: collapse; width: 100%; font-size: .9rem; }
.data-table th, .data-table td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line);
                                 vertical-align: top; max-width: 360px; }
.data-table th { background: #f3f0f7; font-weight: 700; }
.data-table .number { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.data-table .sort { all: unset; cursor: pointer; font-weight: 700; }
.data-table .sort:focus-visible { outline: 3px solid #d95f02; outline-offset: 2px; }
.data-table th[aria-sort=ascending] .sort::after { content: " \25B2"; }
.data-table th[aria-sort=descending] .sort::after { content: " \25BC"; }
.detail .data-table { font-size: .85rem; }
.pager { display: flex; gap: .6rem; align-items: center; margin-top: .4rem; font-size: .9rem; }
.button:disabled { background: #8a8478; cursor: default; }
.table-head { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: .5rem; }
.exports { display: flex; gap: .5rem; }
.button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: .35rem .8rem; font: inherit;
          cursor: pointer; }
.permalink { display: flex; gap: .4rem; align-items: center; margin: .6rem 0; font-size: .9rem; }
.permalink input { flex: 1; font: inherit; padding: .2rem .4rem; border: 1px solid #8a8478; border-radius: 3px; }
.hint { color: var(--muted); font-size: .85rem; }
.data-date { margin: 0; padding: .35rem 1rem; background: #fff4d6; border-bottom: 1px solid #e0b54a; font-weight: 600; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
footer.attribution { font-size: .8rem; color: var(--muted); padding: .5rem 1rem 1rem; max-width: 88rem;
                     margin: 0 auto; }
footer.attribution ul { margin: 0; padding-left: 1rem; }
@media (max-width: 800px) { .map-and-detail { grid-template-columns: 1fr; } .who { margin-left: 0; } }
"""

# Dash's renderer asks for the layout and the callbacks only once its scripts have run (after ~560 KB on a slow
# link): asked for with the page instead, both are there when it wants them (fetch() takes the preloaded answer).
PRELOADS = "".join(f'<link rel="preload" href="{DASHBOARD_PREFIX}/{name}" as="fetch" crossorigin>'
                   for name in ("_dash-layout", "_dash-dependencies"))
INDEX = """<!DOCTYPE html>
<html lang="fr">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
        """ + PRELOADS + """
        <style>""" + STYLE + """</style>
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""

# Mirrors state.to_query: the filters' values -> the query string, written in the address bar without reloading
# (and without telling Dash, so nothing is recomputed); the menu links and the language form keep the filters.
URL_WRITER = """
function(level, metric, themes, network, funder, period, bounds) {
    var parts = [];
    if (level && level !== %(default_level)s) { parts.push('niveau=' + level); }
    if (metric && metric !== '%(default_metric)s') { parts.push('mesure=' + encodeURIComponent(metric)); }
    if (themes && themes.length) { parts.push('themes=' + themes.map(encodeURIComponent).join(',')); }
    if (network) { parts.push('reseau=' + network); }
    if (funder) { parts.push('bailleur=' + funder); }
    if (period && bounds && (period[0] !== bounds[0] || period[1] !== bounds[1])) {
        parts.push('de=' + period[0]);
        parts.push('a=' + period[1]);
    }
    var search = parts.length ? '?' + parts.join('&') : '';
    window.history.replaceState(window.history.state, '', window.location.pathname + search);
    var links = %(paths)s.map(function (path) { return path + search; });
    return links.concat([window.location.href, window.location.pathname + search]);
}
"""


# The address whose view the page needs built (see create_dash_app), or no update when it holds that view already.
VIEW_WANTED = """
function(pathname, search, builtFor) {
    var address = (pathname || '') + (search || '');
    if (address === builtFor) { return [window.dash_clientside.no_update, window.dash_clientside.no_update]; }
    return [address, address];
}
"""


class DashboardApp(Dash):
    def interpolate_index(self, **kwargs):
        """Dash's page, lighter: without dash_table's script, which Dash always lists (the tables are drawn on the
        server, pages/tables.py); without Babel's polyfill (30 KB) when the partial plotly.js carries the one part
        of it Dash still uses (regenerator-runtime, see dashboards/plotly_bundle/entry.js); with the site's own
        small icon instead of Dash's 16 KB favicon; in the language of the person asking."""
        kwargs["scripts"] = UNUSED_SCRIPTS.sub("", kwargs["scripts"])
        if bundle_has_regenerator():
            kwargs["scripts"] = POLYFILL.sub("", kwargs["scripts"])
        kwargs["favicon"] = f'<link rel="icon" type="image/png" href="{static_url(ICON)}">'
        kwargs["css"] += geometry_preload()
        page = super().interpolate_index(**kwargs)
        language = data.language_from_cookies(flask.request.cookies) if flask.has_request_context() else "fr"
        with translation.override(language):
            loading = _("Chargement du tableau de bord…")
        return (page.replace('<html lang="fr">', f'<html lang="{language}">', 1)
                .replace("Loading...", loading, 1))


def geometry_preload() -> str:
    """For a view that draws a map, its level's geometries and dcc.Graph's lazily loaded part asked for with the
    page: Plotly would ask for the geometries only once the first callback has answered, the last step before the
    map shows (0.5 s on a slow link), and React for the chunk only once the layout is drawn."""
    if not flask.has_request_context():
        return ""
    page = page_at(DASHBOARD_PREFIX + flask.request.path)  # Flask sees the path under the dashboard's prefix
    if not getattr(page, "DRAWS_MAP", False):
        return ""
    chunk = f'<link rel="preload" href="{DASHBOARD_PREFIX}/{GRAPH_CHUNK}" as="script">'
    if not data.boundaries_loaded():  # a fresh database: the view says so itself
        return chunk
    level = state.from_query(flask.request.query_string.decode("latin-1")).level
    return f'<link rel="preload" href="{common.geometry_url(level)}" as="fetch" crossorigin>' + chunk


def page_url(page) -> str:
    return f"{DASHBOARD_PREFIX}/{page.PATH}" if page.PATH else f"{DASHBOARD_PREFIX}/"


def page_at(pathname: str):
    """The view (a module of pages/) at this path, or None."""
    if not (pathname + "/").startswith(DASHBOARD_PREFIX + "/"):
        return None
    return BY_PATH.get(pathname.removeprefix(DASHBOARD_PREFIX).strip("/"))


def view(pathname: str, search: str | None) -> tuple[list[str], list]:
    """The menu entries' classes and the content of the view at this address (with its filters from the query)."""
    page = page_at(pathname)
    classes = ["active" if page is p else "" for p in PAGES]
    if page is None:
        return classes, [html.H1(_("Page introuvable")),
                         dcc.Link(_("Retour au tableau de bord"), href=f"{DASHBOARD_PREFIX}/")]
    return classes, page.layout(state.from_query(search), common.load_options())


def _address(pathname: str, search: str | None) -> str:
    """The address a view was built for (page-built-for): a view is built only for a new one (VIEW_WANTED)."""
    return pathname + (search or "")


def _view_asked() -> tuple[str, str] | None:
    """The dashboard address whose page asked for the layout: its Referer (the site's policy, same-origin, sends it
    whole to our own requests), or None when there is none or it is not one of the views' own addresses (then the
    route callback builds the view). Only a view's path with a query that reads back the same (state.to_query) is
    taken: the layout, compressed and holding who is signed in, never echoes other text it was sent (BREACH)."""
    referrer = flask.request.referrer if flask.has_request_context() else None
    if not referrer:
        return None
    try:
        parts = urlsplit(referrer)
    except ValueError:  # not an address
        return None
    if parts.netloc != flask.request.host or page_at(parts.path) is None:
        return None
    search = f"?{parts.query}" if parts.query else ""
    filters = state.from_query(search)
    if state.to_query(filters) != search or (filters.themes and not set(filters.themes) <= set(data.theme_labels())):
        return None
    return parts.path, search


def shell():
    """The frame around the views: menu, who is signed in, language switch, permalink, attribution; and the view
    of the address that asked (_view_asked), so that its callbacks start at once instead of after the route's."""
    cookies = flask.request.cookies if flask.has_request_context() else {}
    language = data.language_from_cookies(cookies)
    asked = _view_asked()
    with translation.override(language), data.one_question():
        classes, content = view(*asked) if asked else ([""] * len(PAGES), None)
        token, new_secret = data.csrf_token(cookies)
        if new_secret and flask.has_request_context():
            flask.after_this_request(_set_csrf_cookie(new_secret))
        user, audience = data.person_from_cookies(cookies)
        if user:
            who = [_("Connecté·e : %(user)s") % {"user": user}, " · ",
                   _("chiffres complets") if audience.sees_restricted_analytics else _("chiffres publics")]
        else:
            who = [_("Visiteur : chiffres publics"), " · ",
                   html.A(_("Se connecter"), href="/comptes/connexion/?next=" + DASHBOARD_PREFIX + "/",
                          id="sign-in")]
        return html.Div([
            dcc.Location(id="url", refresh="callback-nav"),
            dcc.Store(id="page-built-for", data=_address(*asked) if asked else None),
            dcc.Store(id="view-wanted"),
            html.Header(className="top", children=[
                html.A("Musoya", href="/", className="brand", title=_("Retour au site")),
                html.Nav(className="views", **{"aria-label": _("Vues du tableau de bord")}, children=[
                    dcc.Link(str(page.TITLE), id=f"nav-{page.NAME}", href=page_url(page), className=class_name)
                    for page, class_name in zip(PAGES, classes, strict=True)
                ]),
                html.Div(who, className="who", id="who"),
                html.Form(className="language", action="/i18n/setlang/", method="post", children=[
                    dcc.Input(type="hidden", name="csrfmiddlewaretoken", value=token, id="csrf"),
                    dcc.Input(type="hidden", name="next", value=f"{DASHBOARD_PREFIX}/", id="language-next"),
                    html.Span(_("Langue"), className="visually-hidden"),
                    html.Button("FR", name="language", value="fr", type="submit", title="Français", lang="fr",
                                **{"aria-pressed": "true" if language == "fr" else "false"}),
                    html.Button("EN", name="language", value="en", type="submit", title="English", lang="en",
                                **{"aria-pressed": "true" if language == "en" else "false"}),
                ]),
            ]),
            html.Main(id="page", lang=language, children=content),
            html.Div(className="permalink", style={"maxWidth": "88rem", "margin": "0 auto", "padding": "0 1rem"},
                     children=[
                         html.Label(_("Lien vers cette vue :"), htmlFor="permalink"),
                         dcc.Input(id="permalink", readOnly=True, value="", type="text"),
                         dcc.Clipboard(target_id="permalink", title=_("Copier le lien")),
                     ]),
            html.Footer(className="attribution", children=html.Ul([
                html.Li(_("Limites administratives : DNCT (Mali) / UN OCHA, COD-AB Mali 2015, traitement ITOS, "
                          "via HDX.")),
                html.Li(_("Population 2015/2017 par sexe : DNCT / DNP, OCHA Mali, via HDX (CC BY 4.0).")),
            ])),
        ])


def _set_csrf_cookie(secret: str):
    from django.conf import settings

    def set_cookie(response):
        response.set_cookie(settings.CSRF_COOKIE_NAME, secret, max_age=settings.CSRF_COOKIE_AGE,
                            path=settings.CSRF_COOKIE_PATH, domain=settings.CSRF_COOKIE_DOMAIN,
                            secure=settings.CSRF_COOKIE_SECURE, httponly=settings.CSRF_COOKIE_HTTPONLY,
                            samesite=settings.CSRF_COOKIE_SAMESITE)
        return response

    return set_cookie


def create_dash_app() -> Dash:
    app = DashboardApp(
        __name__,
        requests_pathname_prefix=DASHBOARD_PREFIX + "/",
        routes_pathname_prefix="/",
        serve_locally=True,
        title="Musoya · Tableau de bord",
        update_title=None,
        suppress_callback_exceptions=True,  # each view's components exist only while it is shown
        use_async=False,  # callbacks query the database through Django, which is synchronous
        index_string=INDEX,
        external_scripts=[{"src": url} for url in [plotly_bundle_url(), static_url("web/app.js"),
                                                    static_url("web/dashboard.js")] if url],
    )
    app.layout = shell
    _serve(app.server)

    # Which view the page needs: none when it holds the one of its address already (the layout's, see shell), so a
    # first visit makes no round trip for it; else the address, which the route callback below builds. Decided in
    # the browser so that the route's request depends only on the address: the service worker keeps its answer
    # under that body, and a view reached by a menu link opens again offline.
    app.clientside_callback(
        VIEW_WANTED, Output("view-wanted", "data"), Output("page-built-for", "data"),
        Input("url", "pathname"), State("url", "search"), State("page-built-for", "data"),
    )

    @app.callback(*[Output(f"nav-{page.NAME}", "className") for page in PAGES], Output("page", "children"),
                  Input("view-wanted", "data"), prevent_initial_call=True)
    @common.in_language
    def route(address):
        try:
            parts = urlsplit(address) if isinstance(address, str) else None
        except ValueError:  # not an address: nothing to build
            parts = None
        if parts is None:
            raise PreventUpdate
        classes, children = view(parts.path, f"?{parts.query}" if parts.query else "")
        return *classes, children

    app.clientside_callback(
        URL_WRITER % {"default_level": state.DEFAULT_LEVEL, "default_metric": state.DEFAULT_METRIC,
                      "paths": [page_url(page) for page in PAGES]},
        *[Output(f"nav-{page.NAME}", "href") for page in PAGES],
        Output("permalink", "value"), Output("language-next", "value"),
        *common.FILTER_INPUTS, common.BOUNDS_STATE,
    )
    for page in PAGES:
        page.register(app)
    _security_headers(app)
    # Dash finishes setting itself up (among others, the list of scripts it agrees to serve) on its first request,
    # in whichever thread comes first: a worker's first requests arriving together could find that half done and
    # refuse a script. So make that first request here, before the worker serves anyone.
    app.server.test_client().get("/")
    return app


def plotly_bundle_url() -> str | None:
    """The address of the partial plotly.js built at set-up (scripts/build_plotly_bundle.sh), served by whitenoise
    with the site's static files (fingerprinted, cached a year, brotli/gzip). Loaded before Dash's graphs, it
    becomes window.Plotly, which dcc.Graph then uses instead of fetching Dash's full 4.8 MB plotly.min.js. None
    when it was not built (no node at set-up) or not collected since: the dashboard then loads the full one."""
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    if not finders.find(PLOTLY_BUNDLE):
        return None
    try:
        return static(PLOTLY_BUNDLE)
    except ValueError:  # built after the last collectstatic: not in the static manifest yet
        return None


@functools.cache
def bundle_has_regenerator() -> bool:
    """Whether the partial plotly.js is there and defines regeneratorRuntime (bundles built before it did, not
    yet rebuilt, do not: the page then keeps Babel's polyfill, which Dash's lazily loaded components need)."""
    from django.contrib.staticfiles import finders

    path = finders.find(PLOTLY_BUNDLE)
    if not path or plotly_bundle_url() is None:
        return False
    with open(path, "rb") as bundle:
        return b"regeneratorRuntime" in bundle.read()


def static_url(path: str) -> str:
    from django.templatetags.static import static

    return static(path)


def _security_headers(app: Dash) -> None:
    """The headers Django gives the site's pages, which never see the dashboard's requests: the site's
    Content-Security-Policy (settings.CONTENT_SECURITY_POLICY) with the hashes of Dash's own inline scripts (the
    renderer's start and the clientside callbacks, all registered by now), no framing, no MIME sniffing."""
    from csp.utils import build_policy
    from django.conf import settings

    headers = {
        "Content-Security-Policy": build_policy(update={"script-src": app.csp_hashes()}),
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
        "Cross-Origin-Opener-Policy": settings.SECURE_CROSS_ORIGIN_OPENER_POLICY,
    }

    @app.server.after_request
    def secure(response: flask.Response) -> flask.Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response


def _serve(server: flask.Flask) -> None:
    """Geometries at a fingerprinted address, compression, and Django's database connection hygiene."""

    @server.before_request
    def database_ready():
        data.database_request_started()

    @server.teardown_request
    def database_done(_error=None):
        data.database_request_started()

    @server.route("/geo/<int:level>-<digest>.geojson")
    def geometry(level: int, digest: str):
        if level not in state.LEVELS:
            flask.abort(404)
        found = data.geometry(level)
        response = flask.Response(found.text, mimetype="application/json")
        if digest == found.digest:
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        else:  # an old address (boundaries reloaded since): the current geometries, not to be cached
            response.cache_control.no_cache = True
        return response

    @server.route("/topojson/<name>.json")
    def topology(name: str):
        response = flask.Response(EMPTY_TOPOLOGY, mimetype="application/json")
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        return response

    compress = compression.Compressor(lasting_max_age=UNFINGERPRINTED_MAX_AGE)

    @server.after_request
    def finish(response: flask.Response) -> flask.Response:
        cache_headers(response)
        private_answers(response)
        return compress(response)

    def private_answers(response: flask.Response) -> None:
        """As the site's PrivateAnswersMiddleware: what is made for someone who may be signed in (her session
        cookie came along) is Cache-Control: private, unless declared public (scripts, geometries), so that the
        service worker keeps it apart and drops it at sign-out (web/sw.js)."""
        from django.conf import settings

        if settings.SESSION_COOKIE_NAME in flask.request.cookies and not response.cache_control.public:
            response.cache_control.private = True

    def cache_headers(response: flask.Response) -> None:
        """Dash loads some scripts without a fingerprint in their address (plotly.js, the lazily loaded parts of
        its components): they change only with the installed packages, so browsers may keep them a day."""
        request = flask.request
        if response.status_code not in (200, 304) or response.cache_control.max_age:
            return
        if request.path.startswith("/_dash-component-suites/"):
            response.cache_control.public = True
            response.cache_control.max_age = UNFINGERPRINTED_MAX_AGE
