"""Chevauchements: where interventions of different organisations on the same theme and period overlap, as a map
per unit and a list of pairs with the shared area and women; the network filter narrows to one network.

Each pair says whether it is coordinated (an accepted partnership of the two organisations covers it); "only
uncoordinated" keeps what a coordinator has to act on. An editor of one of the two organisations gets a link to
propose a partnership, prefilled from the overlap."""
from dash import Input, Output, Patch, State, ctx, dcc, html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import data, figures, state
from . import common, tables

PATH = "chevauchements"
NAME = "chevauchements"
DRAWS_MAP = True  # app.py asks for its geometries with the page
TITLE = gettext_lazy("Chevauchements")
P = "ovl"
TABLE_TITLE = gettext_lazy("Paires d'interventions qui se recouvrent")
ONLY_UNCOORDINATED = "non-coordonnes"
TOGGLE = State(f"{P}-uncoordinated", "value")


def layout(filters: state.Filters, options: common.Options) -> list:
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
        tables.block(P, TABLE_TITLE),
    ]


def overlaps(context: common.Context, filters: state.Filters, toggle=None):
    """The pairs and the units where they overlap; none until a theme is chosen. Looking for every possible pair
    across all themes at once takes the analytics selector a minute on 2,000 zones (one theme, a few seconds)."""
    if not filters.themes:
        return figures.no_overlaps()
    return data.overlaps_frames(context.audience, filters, uncoordinated_only=ONLY_UNCOORDINATED in (toggle or []))


def table_key(context: common.Context, filters: state.Filters, toggle) -> tuple:
    return (*tables.table_key(P, context, filters), ONLY_UNCOORDINATED in (toggle or []))


def build_table(context: common.Context, filters: state.Filters, toggle=None) -> figures.Table:
    pairs, _by_unit = overlaps(context, filters, toggle)
    return figures.overlaps_table(pairs)


def cached_table(context: common.Context, filters: state.Filters, extra: tuple) -> figures.Table:
    """The pairs' table, the "only uncoordinated" toggle (the one extra state) in the key."""
    (toggle,) = extra
    return tables.TABLES.get(table_key(context, filters, toggle), lambda: build_table(context, filters, toggle))


def register(app) -> None:
    tables.register(app, P, TABLE_TITLE, cached_table, extra_states=(TOGGLE,))

    @app.callback(
        Output(f"{P}-map", "figure"), *tables.outputs(P),
        Output(f"{P}-summary", "children"), Output(f"{P}-demo", "children"),
        *common.FILTER_INPUTS, Input(f"{P}-uncoordinated", "value"), common.BOUNDS_STATE, tables.order_state(P),
    )
    @common.in_language
    def update(*values):
        *filter_values, toggle, bounds, order = values
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
        tables.TABLES.put(table_key(context, filters, toggle), table)
        if filters.themes:
            uncoordinated = int((~pairs["coordinated"].astype(bool)).sum()) if len(pairs) else 0
            summary = _("%(pairs)s paires d'interventions se recouvrent, dans %(units)s unités ; %(open)s sans "
                        "partenariat qui les coordonne.") % {"pairs": len(pairs), "units": len(by_unit),
                                                             "open": uncoordinated}
        else:
            summary = _("Choisissez un ou plusieurs thèmes : les chevauchements se cherchent thème par thème.")
        return (figure, *tables.first_page(P, TABLE_TITLE, table, order),
                [summary, " ", common.audience_note(context.audience)], common.demo_note(chosen.has_demo))
