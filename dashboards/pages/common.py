"""What every view shares: the filter bar, the request context (who, which language), graphs with a PNG export
named after the view. The tables are in tables.py."""
import functools
from collections.abc import Callable
from dataclasses import dataclass

import flask
from dash import Input, State, dcc, html
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import data, figures, state

DASHBOARD_PREFIX = "/tableau-de-bord"
FILTER_IDS = ["f-level", "f-metric", "f-themes", "f-network", "f-funder", "f-period"]
FILTER_INPUTS = [Input(i, "value") for i in FILTER_IDS]
BOUNDS_STATE = State("f-bounds", "data")
FILTER_STATES = [State(i, "value") for i in FILTER_IDS]


@dataclass(frozen=True)
class Context:
    """Who is asking and in which language, read from the request's cookies (Django's session and language)."""

    audience: object
    language: str


def request_context() -> Context:
    cookies = flask.request.cookies
    return Context(data.audience_from_cookies(cookies), data.language_from_cookies(cookies))


def in_language(function: Callable) -> Callable:
    """Runs a callback in the language of the person asking (their cookie, else French), selecting the zones of
    each choice of filters once however many of its figures measure them (the callbacks only read)."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(data.language_from_cookies(flask.request.cookies)), data.one_question():
            return function(*args, **kwargs)

    return wrapper


def bounds_from(value) -> tuple[int, int]:
    """The period slider's bounds as stored in the page (f-bounds), or the current ones when they make no sense."""
    return state.period_bounds(value) or data.year_bounds()


def filters_from(values, bounds) -> state.Filters:
    """Filters from the values of FILTER_INPUTS (in order) and the period bounds, as the browser sent them: what
    is not a valid choice (unknown theme, a network that is no id…) is left out."""
    level, metric, themes, network, funder, period = values
    return state.from_controls(level=level, metric=metric, themes=themes, network=network, funder=funder,
                               period=period, bounds=bounds_from(bounds), known_themes=set(data.theme_labels()))


# --- Filter bar ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    themes: list
    networks: list
    funders: list
    bounds: tuple[int, int]


def load_options() -> Options:
    return Options(data.theme_options(), data.network_options(), data.funder_options(), data.year_bounds())


def filter_bar(filters: state.Filters, options: Options, *, show_metric: bool = False,
               show_level: bool = True) -> html.Section:
    """The filters every view shares (same ids everywhere, so the URL writer in app.py serves all views)."""
    low, high = options.bounds
    step = max(1, (high - low) // 4)
    hidden = {"display": "none"}
    return html.Section(className="filters", **{"aria-label": _("Filtres")}, children=[
        html.Div(className="filter", style=None if show_level else hidden, children=[
            html.Span(_("Niveau"), className="filter-label", id="f-level-label"),
            dcc.RadioItems(id="f-level", value=filters.level, inline=True,
                           options=[{"label": str(figures.LEVEL_LABELS[lv]), "value": lv} for lv in state.LEVELS]),
        ]),
        html.Div(className="filter", style=None if show_metric else hidden, children=[
            html.Span(_("Mesure"), className="filter-label"),
            dcc.RadioItems(id="f-metric", value=filters.metric, inline=True,
                           options=[{"label": str(label), "value": code}
                                    for code, label in figures.METRIC_LABELS.items()]),
        ]),
        html.Div(className="filter wide", children=[
            html.Label(_("Thèmes"), htmlFor="f-themes", className="filter-label"),
            dcc.Dropdown(id="f-themes", options=options.themes, value=list(filters.themes), multi=True,
                         placeholder=_("Tous les thèmes")),
        ]),
        html.Div(className="filter", children=[
            html.Label(_("Réseau"), htmlFor="f-network", className="filter-label"),
            dcc.Dropdown(id="f-network", options=options.networks, value=filters.network,
                         placeholder=_("Tous les réseaux")),
        ]),
        html.Div(className="filter", children=[
            html.Label(_("Bailleur"), htmlFor="f-funder", className="filter-label"),
            dcc.Dropdown(id="f-funder", options=options.funders, value=filters.funder,
                         placeholder=_("Tous les bailleurs")),
        ]),
        html.Div(className="filter wide", children=[
            html.Span(_("Période (interventions actives)"), className="filter-label"),
            dcc.RangeSlider(id="f-period", min=low, max=high, step=1, value=state.period_value(filters, (low, high)),
                            marks={year: str(year) for year in range(low, high + 1, step)},
                            tooltip={"placement": "bottom", "always_visible": False}, allowCross=False),
        ]),
        dcc.Store(id="f-bounds", data=[low, high]),
    ])


# --- Page blocks ---------------------------------------------------------------------------------------------


def graph_config(name: str) -> dict:
    """The modebar keeps Plotly's own PNG export (no server-side rendering), named after the view. Plotly's own
    words (modebar, dates) in the active language: its French locale is in the dashboard's bundle; the figures set
    the separators (figures.separators)."""
    locale = "en" if (get_language() or "fr").startswith("en") else "fr"
    return {"displaylogo": False, "displayModeBar": True, "scrollZoom": True, "responsive": True, "locale": locale,
            # Plotly fetches a base-map topology for every geo plot, from its CDN unless told otherwise: ours is
            # empty (the maps draw only our boundaries) and served by app.py.
            "topojsonURL": f"{DASHBOARD_PREFIX}/topojson/",
            "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
            "toImageButtonOptions": {"format": "png", "filename": f"musoya-{name}", "scale": 2}}


def graph(graph_id: str, name: str, *, height: int = figures.MAP_HEIGHT, figure=None) -> dcc.Loading:
    drawn = {"figure": figure} if figure is not None else {}
    return dcc.Loading(dcc.Graph(id=graph_id, config=graph_config(name), style={"minHeight": f"{height}px"}, **drawn),
                       delay_show=300)


def page_heading(title: str, intro: str) -> list:
    return [html.H1(title), html.P(intro, className="intro")]


def status_line(prefix: str, *, summary=None, demo=None) -> html.Div:
    """The summary of what is counted, and the demo-data note when demo records are in view (filled by the view's
    callback, or given when the layout draws the view's first answer)."""
    return html.Div(className="status", children=[
        html.P(id=f"{prefix}-summary", className="summary", children=summary, **{"aria-live": "polite"}),
        html.P(id=f"{prefix}-demo", className="demo-note", role="note", children=demo),
    ])


def demo_note(has_demo: bool) -> str:
    """Said whenever demo records are in view (they are labelled "exemple fictif" in the data too)."""
    if not has_demo:
        return ""
    return _("Données de démonstration fictives : les organisations et interventions affichées sont des exemples "
             "inventés.")


def audience_note(audience) -> str:
    if audience.sees_restricted_analytics:
        return _("Chiffres complets (interventions restreintes comprises).")
    return _("Chiffres publics : les interventions restreintes ne sont pas comptées ; les zones approximatives "
             "comptent comme des communes entières.")


def geometry_url(level: int) -> str:
    """The address of a level's web geometries; its fingerprint changes with them, so browsers keep it a year."""
    found = data.geometry(level)
    return f"{DASHBOARD_PREFIX}/geo/{level}-{found.digest}.geojson"
