"""The Plotly Dash dashboard, mounted by geo_backend/wsgi.py at /tableau-de-bord/ (same origin as the site).

plotly.js and Dash's own assets are served locally by Dash (serve_locally), never from a CDN.
"""
from dash import Dash, Input, Output, dcc, html

from . import data, figures

DASHBOARD_PREFIX = "/tableau-de-bord"
LEVELS = {1: "Régions", 2: "Cercles", 3: "Communes"}


def create_dash_app() -> Dash:
    app = Dash(
        __name__,
        requests_pathname_prefix=DASHBOARD_PREFIX + "/",
        routes_pathname_prefix="/",
        serve_locally=True,
        title="Musoya · Tableau de bord",
        update_title=None,
        use_async=False,  # callbacks query the database through Django, which is synchronous
    )
    app.layout = html.Main(
        [
            html.H1("Tableau de bord Musoya"),
            html.P(html.A("← Retour au site", href="/")),
            html.Label("Niveau administratif", htmlFor="level"),
            dcc.RadioItems(id="level", options=[{"label": v, "value": k} for k, v in LEVELS.items()], value=1,
                           inline=True),
            dcc.Graph(id="women-map", config={"displaylogo": False}),
        ],
        lang="fr",
    )

    @app.callback(Output("women-map", "figure"), Input("level", "value"))
    def update_map(level):
        frame, geojson = data.admin_units_frame(level=level)
        return figures.women_choropleth(frame, geojson, title=f"Femmes par unité (2017) — {LEVELS[level]}")

    return app
