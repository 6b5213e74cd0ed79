"""What every view shares: the filter bar, the request context (who, which language), tables with server-side
paging and their exports, graphs with a PNG export named after the view.

Tables are paged and sorted on the server: a filter change sends one page of rows, not the whole table. The table
last computed for a person and filters is kept for a short while (RecentCache), so paging, sorting and exports do
not recompute it; on a miss (another worker, expired) it is simply computed again.
"""
import functools
from collections.abc import Callable
from dataclasses import dataclass

import flask
from dash import Input, Output, State, dash_table, dcc, html, no_update
from django.utils import translation
from django.utils.translation import gettext as _

from .. import data, exports, figures, state
from ..cache import RecentCache
from ..figures import Table

DASHBOARD_PREFIX = "/tableau-de-bord"
PAGE_SIZE = 15
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
    """Runs a callback in the language of the person asking (their cookie, else French)."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(data.language_from_cookies(flask.request.cookies)):
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
    """The modebar keeps Plotly's own PNG export (no server-side rendering), named after the view."""
    return {"displaylogo": False, "displayModeBar": True, "scrollZoom": True, "responsive": True,
            # Plotly fetches a base-map topology for every geo plot, from its CDN unless told otherwise: ours is
            # empty (the maps draw only our boundaries) and served by app.py.
            "topojsonURL": f"{DASHBOARD_PREFIX}/topojson/",
            "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
            "toImageButtonOptions": {"format": "png", "filename": f"musoya-{name}", "scale": 2}}


def graph(graph_id: str, name: str, *, height: int = figures.MAP_HEIGHT) -> dcc.Loading:
    return dcc.Loading(dcc.Graph(id=graph_id, config=graph_config(name), style={"minHeight": f"{height}px"}),
                       delay_show=300)


def page_heading(title: str, intro: str) -> list:
    return [html.H1(title), html.P(intro, className="intro")]


def status_line(prefix: str) -> html.Div:
    """The summary of what is counted, and the demo-data note when demo records are in view."""
    return html.Div(className="status", children=[
        html.P(id=f"{prefix}-summary", className="summary", **{"aria-live": "polite"}),
        html.P(id=f"{prefix}-demo", className="demo-note", role="note"),
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


def table_block(prefix: str, title: str) -> html.Section:
    """A server-paged, server-sorted table with its CSV and XLSX exports."""
    return html.Section(className="table-block", children=[
        html.Div(className="table-head", children=[
            html.H2(title),
            html.Div(className="exports", children=[
                html.Button(_("Exporter CSV"), id=f"{prefix}-csv", n_clicks=0, className="button"),
                html.Button(_("Exporter XLSX"), id=f"{prefix}-xlsx", n_clicks=0, className="button"),
                dcc.Download(id=f"{prefix}-download"),
            ]),
        ]),
        dash_table.DataTable(
            id=f"{prefix}-table", page_action="custom", page_current=0, page_size=PAGE_SIZE,
            sort_action="custom", sort_mode="single", sort_by=[], data=[], columns=[],
            style_table={"overflowX": "auto"}, style_as_list_view=True,
            style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto",
                        "fontFamily": "system-ui, sans-serif", "fontSize": "0.9rem", "padding": "4px 8px",
                        "maxWidth": "360px"},
            style_header={"fontWeight": "bold", "backgroundColor": "#f3f0f7"},
            style_cell_conditional=[{"if": {"column_type": "numeric"}, "textAlign": "right"}],
        ),
    ])


def datatable_columns(table: Table) -> list[dict]:
    """DataTable columns for a Table, numbers grouped the way the active language writes them."""
    french = figures.separators() == ", "
    columns = []
    for column_id, label, kind in table.columns:
        column = {"id": column_id, "name": label}
        if kind in ("integer", "decimal", "percent"):
            decimals = 0 if kind == "integer" else 1
            column["type"] = "numeric"
            column["format"] = {"locale": {"group": " " if french else ",", "decimal": "," if french else "."},
                                "specifier": f",.{decimals}f"}
        columns.append(column)
    return columns


def sorted_frame(table: Table, sort_by: list | None):
    frame = table.frame
    key = sort_by[0] if isinstance(sort_by, list) and sort_by and isinstance(sort_by[0], dict) else {}
    if isinstance(key.get("column_id"), str):
        if key["column_id"] in frame.columns:
            frame = frame.sort_values(key["column_id"], ascending=key.get("direction") != "desc",
                                      na_position="last", kind="stable")
    return frame


def table_page(table: Table, page: int | None, sort_by: list | None) -> tuple[list, int]:
    """One page of rows (as DataTable records) and the number of pages."""
    frame = sorted_frame(table, sort_by)
    page = page if isinstance(page, int) and not isinstance(page, bool) and page >= 0 else 0
    keys = [c[0] for c in table.columns]
    rows = frame[keys].iloc[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    records = [{k: (None if _missing(v) else v) for k, v in row.items()} for row in rows.to_dict("records")]
    return records, max(1, -(-len(frame) // PAGE_SIZE))


def all_rows(table: Table) -> list[dict]:
    """Every row, as DataTable records (for the small tables paged in the browser)."""
    keys = [c[0] for c in table.columns]
    return [{k: (None if _missing(v) else v) for k, v in row.items()} for row in table.frame[keys].to_dict("records")]


def geometry_url(level: int) -> str:
    """The address of a level's web geometries; its fingerprint changes with them, so browsers keep it a year."""
    found = data.geometry(level)
    return f"{DASHBOARD_PREFIX}/geo/{level}-{found.digest}.geojson"


def _missing(value) -> bool:
    try:
        return value != value  # NaN
    except (TypeError, ValueError):
        return False


def export(table: Table, sort_by: list | None, kind: str) -> dict:
    ordered = Table(sorted_frame(table, sort_by), table.columns, table.name, table.notes)
    if kind == "xlsx":
        return dcc.send_bytes(exports.to_xlsx(ordered), exports.filename(ordered, "xlsx"))
    return dcc.send_bytes(exports.to_csv(ordered), exports.filename(ordered, "csv"), type="text/csv")


TABLES = RecentCache()


def register_table(app, prefix: str, build: Callable[[Context, state.Filters], Table]) -> None:
    """Paging, sorting and exports of a view's table. The view's main callback sends the first page itself
    (and resets page_current); these answer the later page and sort changes and the export buttons."""

    @app.callback(
        Output(f"{prefix}-table", "data", allow_duplicate=True),
        Output(f"{prefix}-table", "page_count", allow_duplicate=True),
        Input(f"{prefix}-table", "page_current"), Input(f"{prefix}-table", "sort_by"),
        *FILTER_STATES, BOUNDS_STATE,
        prevent_initial_call=True,
    )
    @in_language
    def page_or_sort(page, sort_by, *values):
        context = request_context()
        filters = filters_from(values[:-1], values[-1])
        table = cached_table(prefix, context, filters, build)
        return table_page(table, page, sort_by)

    @app.callback(
        Output(f"{prefix}-download", "data"),
        Input(f"{prefix}-csv", "n_clicks"), Input(f"{prefix}-xlsx", "n_clicks"),
        State(f"{prefix}-table", "sort_by"), *FILTER_STATES, BOUNDS_STATE,
        prevent_initial_call=True,
    )
    @in_language
    def download(csv_clicks, xlsx_clicks, sort_by, *values):
        from dash import ctx

        context = request_context()
        filters = filters_from(values[:-1], values[-1])
        table = cached_table(prefix, context, filters, build)
        return export(table, sort_by, "xlsx" if ctx.triggered_id == f"{prefix}-xlsx" else "csv")


def table_key(prefix: str, context: Context, filters: state.Filters) -> tuple:
    return prefix, context.audience, context.language, filters


def cached_table(prefix: str, context: Context, filters: state.Filters,
                 build: Callable[[Context, state.Filters], Table]) -> Table:
    return TABLES.get(table_key(prefix, context, filters), lambda: build(context, filters))


def table_outputs(prefix: str) -> list[Output]:
    """The outputs a view's main callback gives its table: first page, columns, page count, page reset."""
    return [Output(f"{prefix}-table", "data"), Output(f"{prefix}-table", "columns"),
            Output(f"{prefix}-table", "page_count"), Output(f"{prefix}-table", "page_current")]


def first_page(table: Table, page_current: int | None, sort_by: list | None) -> tuple:
    rows, pages = table_page(table, 0, sort_by)
    return rows, datatable_columns(table), pages, (0 if page_current else no_update)
