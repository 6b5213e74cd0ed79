"""Chevauchements: where interventions of different organisations on the same theme and period overlap, as a map
per unit and a list of pairs with the shared area and women; the network filter narrows to one network.

Each pair says whether it is coordinated (an accepted partnership of the two organisations covers it); "only
uncoordinated" keeps what a coordinator has to act on. An editor of one of the two organisations gets a link to
propose a partnership, prefilled from the overlap."""
from dash import Input, Output, Patch, State, ctx, dcc, html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import data, figures, state
from . import common

PATH = "chevauchements"
NAME = "chevauchements"
TITLE = gettext_lazy("Chevauchements")
P = "ovl"
ONLY_UNCOORDINATED = "non-coordonnes"
TOGGLE = State(f"{P}-uncoordinated", "value")


def layout(filters: state.Filters, options: common.Options) -> list:
    table = common.table_block(P, _("Paires d'interventions qui se recouvrent"))
    table.children[1].markdown_options = {"link_target": "_self"}  # the proposal opens in the same tab
    return [
        *common.page_heading(_("Chevauchements"), _(
            "Là où des interventions d'organisations différentes, sur un même thème et une même période, se "
            "recouvrent : une duplication possible à coordonner. Choisissez un réseau pour ne voir que ses "
            "membres.")),
        common.filter_bar(filters, options),
        html.Div(className="filter", children=dcc.Checklist(
            id=f"{P}-uncoordinated", value=[], inline=True,
            options=[{"label": " " + _("Seulement les chevauchements non coordonnés (sans partenariat accepté)"),
                      "value": ONLY_UNCOORDINATED}])),
        common.status_line(P),
        common.graph(f"{P}-map", NAME),
        table,
    ]


def overlaps(context: common.Context, filters: state.Filters, toggle=None):
    """The pairs and the units where they overlap; none until a theme is chosen. Looking for every possible pair
    across all themes at once takes the analytics selector a minute on 2,000 zones (one theme, a few seconds)."""
    if not filters.themes:
        return figures.no_overlaps()
    return data.overlaps_frames(context.audience, filters, uncoordinated_only=ONLY_UNCOORDINATED in (toggle or []))


def table_key(context: common.Context, filters: state.Filters, toggle) -> tuple:
    return (*common.table_key(P, context, filters), ONLY_UNCOORDINATED in (toggle or []))


def build_table(context: common.Context, filters: state.Filters, toggle=None) -> figures.Table:
    pairs, _by_unit = overlaps(context, filters, toggle)
    return figures.overlaps_table(pairs)


def cached_table(context, filters, toggle) -> figures.Table:
    return common.TABLES.get(table_key(context, filters, toggle), lambda: build_table(context, filters, toggle))


def with_links(columns: list[dict]) -> list[dict]:
    """The DataTable columns, the proposal links shown as links."""
    for column in columns:
        if column["id"] == "propose":
            column["presentation"] = "markdown"
    return columns


def register(app) -> None:
    # Paging, sorting and exports as common.register_table does, with the "only uncoordinated" toggle in the key.
    @app.callback(
        Output(f"{P}-table", "data", allow_duplicate=True), Output(f"{P}-table", "page_count", allow_duplicate=True),
        Input(f"{P}-table", "page_current"), Input(f"{P}-table", "sort_by"),
        *common.FILTER_STATES, common.BOUNDS_STATE, TOGGLE, prevent_initial_call=True,
    )
    @common.in_language
    def page_or_sort(page, sort_by, *values):
        *filter_values, bounds, toggle = values
        context = common.request_context()
        return common.table_page(cached_table(context, common.filters_from(filter_values, bounds), toggle), page,
                                 sort_by)

    @app.callback(
        Output(f"{P}-download", "data"), Input(f"{P}-csv", "n_clicks"), Input(f"{P}-xlsx", "n_clicks"),
        State(f"{P}-table", "sort_by"), *common.FILTER_STATES, common.BOUNDS_STATE, TOGGLE,
        prevent_initial_call=True,
    )
    @common.in_language
    def download(csv_clicks, xlsx_clicks, sort_by, *values):
        *filter_values, bounds, toggle = values
        context = common.request_context()
        table = cached_table(context, common.filters_from(filter_values, bounds), toggle)
        return common.export(table, sort_by, "xlsx" if ctx.triggered_id == f"{P}-xlsx" else "csv")

    @app.callback(
        Output(f"{P}-map", "figure"), *common.table_outputs(P),
        Output(f"{P}-summary", "children"), Output(f"{P}-demo", "children"),
        *common.FILTER_INPUTS, Input(f"{P}-uncoordinated", "value"), common.BOUNDS_STATE,
        State(f"{P}-table", "page_current"), State(f"{P}-table", "sort_by"),
    )
    @common.in_language
    def update(*values):
        *filter_values, toggle, bounds, page_current, sort_by = values
        context = common.request_context()
        filters = common.filters_from(filter_values, bounds)
        pairs, by_unit = overlaps(context, filters, toggle)
        chosen = data.selection(context.audience, filters)
        if ctx.triggered_id in (None, "f-level"):
            figure = figures.overlaps_map(data.units_frame(filters.level), by_unit,
                                          common.geometry_url(filters.level), level=filters.level)
        else:
            figure = Patch()
            for key, value in figures.overlaps_values(by_unit).items():
                figure["data"][1][key] = value
        table = figures.overlaps_table(pairs)
        common.TABLES.put(table_key(context, filters, toggle), table)
        if filters.themes:
            uncoordinated = int((~pairs["coordinated"].astype(bool)).sum()) if len(pairs) else 0
            summary = _("%(pairs)s paires d'interventions se recouvrent, dans %(units)s unités ; %(open)s sans "
                        "partenariat qui les coordonne.") % {"pairs": len(pairs), "units": len(by_unit),
                                                             "open": uncoordinated}
        else:
            summary = _("Choisissez un ou plusieurs thèmes : les chevauchements se cherchent thème par thème.")
        rows, columns, pages, page = common.first_page(table, page_current, sort_by)
        return (figure, rows, with_links(columns), pages, page,
                [summary, " ", common.audience_note(context.audience)], common.demo_note(chosen.has_demo))
